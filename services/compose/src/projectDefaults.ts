import { baseLanguage } from './language.js';
import type { MUSIC_MOODS, ProjectData } from './projectModel.js';
import { type Mood, sceneFeatures, wordsOf } from './sceneLexicon.js';

/**
 * What a new project starts with, so a user who changes nothing still gets
 * a sensible movie: a narrator who speaks the story's language, music in the
 * story's mood, karaoke captions at the bottom.
 */

/** Narrate's catalogue ids (services/narrate/src/voices.ts), by language tag, most specific first. */
const VOICES: readonly [RegExp, string][] = [
  [/^en-(gb|ie|au|nz)\b/i, 'en-gb-1'],
  [/^en\b/i, 'en-us-1'],
  [/^es-(419|mx|ar|co|cl|pe|us)\b/i, 'es-419-1'],
  [/^es\b/i, 'es-es-1'],
  [/^pt-pt\b/i, 'pt-pt-1'],
  [/^pt\b/i, 'pt-br-1'],
  [/^de\b/i, 'de-1'],
  [/^fr\b/i, 'fr-1'],
  [/^it\b/i, 'it-1'],
  [/^ru\b/i, 'ru-1'],
  [/^el\b/i, 'el-1'],
  [/^zh\b/i, 'zh-1'],
];
const FALLBACK_VOICE = 'en-us-1';

export function defaultVoice(language: string): ProjectData['voice'] {
  const id = VOICES.find(([pattern]) => pattern.test(language))?.[1] ?? FALLBACK_VOICE;
  return { id, speed: 1 };
}

const MUSIC_FOR_MOOD: Record<Mood, (typeof MUSIC_MOODS)[number]> = {
  calm: 'calm',
  joyful: 'upbeat',
  tense: 'dark',
  sad: 'hopeful',
  mysterious: 'mysterious',
  romantic: 'romantic',
};

/** The opening of the story sets the tone; reading all of a long one would add nothing but time. */
const MOOD_SAMPLE_CHARS = 3000;

export function defaultMusic(story: string, language: string): NonNullable<ProjectData['music']> {
  const features = sceneFeatures(wordsOf(story.slice(0, MOOD_SAMPLE_CHARS), baseLanguage(language)));
  const epic = features.settings.includes('castle') && features.mood === 'tense';
  return { mood: epic ? 'epic' : features.mood ? MUSIC_FOR_MOOD[features.mood] : 'calm', volume: 0.3 };
}

export const DEFAULT_CAPTIONS: NonNullable<ProjectData['captions']> = { style: 'karaoke', position: 'bottom' };

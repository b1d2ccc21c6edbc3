import { type Aspect, CAPTION_POSITIONS, CAPTION_PRESETS } from '@storyreel/shared';
import { z } from 'zod';
import { MAX_PROMPT_CHARS } from './imagePrompt.js';
import { MOTIONS, TRANSITION_TYPES } from './shotDirection.js';
import type { STYLE_IDS } from './styles.js';

/**
 * The project document (collection `projects`) and its scenes: what the
 * wizard edits, the movie job reads (src/jobs/movieProject.ts) and the
 * routes return.
 */
export const PROJECTS = 'projects';

export { ASPECTS, type Aspect } from '@storyreel/shared';

/** The music service's moods (services/music/src/moods.ts); checked here so a bad one fails at edit time, not at render. */
export const MUSIC_MOODS = [
  'calm',
  'upbeat',
  'dark',
  'epic',
  'whimsical',
  'romantic',
  'mysterious',
  'hopeful',
] as const;

export const MAX_SCENES = 60;
export const MAX_SCENE_TEXT_CHARS = 2000;
export const MIN_TARGET_SECONDS = 15;
export const MAX_TARGET_SECONDS = 600;
export const MAX_SEED = 2 ** 31 - 1;

export const SceneId = z.string().regex(/^[A-Za-z0-9_-]{4,32}$/, 'a scene id');

export const TransitionSchema = z.object({
  type: z.enum(TRANSITION_TYPES),
  durationSeconds: z.number().min(0).max(3),
});

export const SceneSchema = z.object({
  id: SceneId,
  text: z.string().min(1).max(MAX_SCENE_TEXT_CHARS),
  imagePrompt: z.string().max(MAX_PROMPT_CHARS),
  /** Estimated from the words; the movie job replaces it with the narration's real length. */
  durationSeconds: z.number().min(0.5).max(120),
  motion: z.enum(MOTIONS),
  /** Into the next scene; ignored on the last one. */
  transition: TransitionSchema,
  seed: z.number().int().min(0).max(MAX_SEED),
  /** gs:// path of the scene's current image; null until one is generated or after its inputs change. */
  imagePath: z.string().nullable(),
});
export type Scene = z.infer<typeof SceneSchema>;

export const VoiceSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'a voice id such as en-us-1'),
  speed: z.number().min(0.5).max(2),
});
export const MusicSchema = z.object({ mood: z.enum(MUSIC_MOODS), volume: z.number().min(0).max(1) });
export const CaptionsSchema = z.object({
  style: z.enum(CAPTION_PRESETS),
  position: z.enum(CAPTION_POSITIONS),
});

export interface StoryboardSummary {
  createdAt: string;
  /** Speech units the estimate counts: words, or characters in Chinese and Japanese. */
  unit: 'word' | 'char';
  storyUnits: number;
  keptUnits: number;
  /** The story was longer than a storyboard holds; only its beginning became scenes. */
  truncated: boolean;
  estimatedSeconds: number;
  targetSeconds: number;
  /** Who cut the scenes (`offline`, `gemini:<model>`); absent on storyboards made before planners had names. */
  planner?: string;
  /** Why the storyboard is not what was asked for: a cloud planner fell back to the offline splitter. */
  note?: string;
}

export interface ProjectData {
  owner: string;
  title: string;
  story: string;
  /** BCP 47: given at creation, or detected from the story. */
  language: string;
  languageDetected: boolean;
  targetSeconds: number;
  aspect: Aspect;
  style: (typeof STYLE_IDS)[number];
  voice: z.infer<typeof VoiceSchema>;
  music: z.infer<typeof MusicSchema> | null;
  captions: z.infer<typeof CaptionsSchema> | null;
  scenes: Scene[];
  storyboard: StoryboardSummary | null;
  createdAt: string;
  updatedAt: string;
}

import { unprocessable } from '@storyreel/shared';
import { imagePromptFor, storyPlaces } from './imagePrompt.js';
import { canonicalLanguage, detectLanguage } from './language.js';
import {
  MAX_SCENES,
  MAX_TARGET_SECONDS,
  MIN_TARGET_SECONDS,
  type Scene,
  type StoryboardSummary,
} from './projectModel.js';
import { newSceneId, newSeed } from './randomIds.js';
import { joinText, type StoryPiece, segmentStory } from './sentenceSegmenter.js';
import { chooseMotion, chooseTransition, type Motion } from './shotDirection.js';
import { maxSceneUnits, narrationSeconds, speechPace, speechUnitsOfLongText } from './speechRate.js';

/**
 * Story text -> scenes for a movie of about `targetSeconds`.
 *
 * Sentences are grouped so the movie has roughly one scene per
 * IDEAL_SCENE_SECONDS of the target, never more than one scene can narrate
 * (~35 words) and never more than MAX_SCENES. All words are kept in order.
 *
 * Long stories: no summary is invented. A story whose narration would need
 * more than MAX_SCENES full scenes (about 1,700 English words, ~11 minutes)
 * is cut at a sentence boundary; the summary says `truncated` with the
 * units kept and the units in the story, so the wizard can tell the user.
 * Segmentation stops at that budget, so even a 300,000-character story is
 * split in milliseconds. A story longer than the target but within the
 * budget keeps every word; `estimatedSeconds` then exceeds the target.
 */
export const IDEAL_SCENE_SECONDS = 6.5;
/** A scene is on screen at least this long, however few its words. */
export const MIN_SCENE_SECONDS = 2.5;
/** A pause after each scene's narration. */
const BREATH_SECONDS = 0.5;
/** A short story is paced out towards the target, but a scene is held at most this many times its reading time. */
const MAX_STRETCH = 2;
/** Scenes are filled to this share of their maximum on average, so grouping rarely runs out of scenes. */
const PACKING = 0.8;

export interface SplitOptions {
  targetSeconds: number;
  /** BCP 47; detected from the story when absent. */
  language?: string;
  newId?: () => string;
  newSeedValue?: () => number;
}

export interface SplitResult {
  scenes: Scene[];
  language: string;
  summary: Omit<StoryboardSummary, 'createdAt'>;
}

export function splitStory(story: string, options: SplitOptions): SplitResult {
  if (!/\S/.test(story))
    throw unprocessable('the story is empty', {
      fields: [{ field: 'story', message: 'write or paste a story first' }],
    });
  const targetSeconds = options.targetSeconds;
  if (!(targetSeconds >= MIN_TARGET_SECONDS && targetSeconds <= MAX_TARGET_SECONDS)) {
    throw unprocessable('targetSeconds is out of range', {
      fields: [{ field: 'targetSeconds', message: `between ${MIN_TARGET_SECONDS} and ${MAX_TARGET_SECONDS}` }],
    });
  }
  const language = (options.language && canonicalLanguage(options.language)) || detectLanguage(story);
  const maxUnits = maxSceneUnits(language);
  const { pieces, truncated } = segmentStory(story, {
    language,
    maxUnits,
    budgetUnits: Math.floor(MAX_SCENES * maxUnits * PACKING),
  });
  const keptUnits = pieces.reduce((sum, p) => sum + p.units, 0);
  if (keptUnits === 0) {
    throw unprocessable('the story has no words', {
      fields: [{ field: 'story', message: 'the story has no words to narrate' }],
    });
  }

  const groups = groupPieces(pieces, sceneCountFor(targetSeconds, keptUnits, maxUnits, pieces.length), maxUnits);
  const drafts = groups.slice(0, MAX_SCENES).map(
    (group): SceneDraft => ({
      text: group.reduce((acc, p) => joinText(acc, p.text), ''),
      units: group.reduce((sum, p) => sum + p.units, 0),
      paragraphStart: group[0]?.paragraphStart ?? false,
    }),
  );
  const cut = truncated || groups.length > MAX_SCENES;
  return storyboardOf(drafts, {
    story,
    language,
    targetSeconds,
    truncated: cut,
    options,
  });
}

/** One scene as a planner cut it, before timing and shot direction. */
export interface SceneDraft {
  text: string;
  units: number;
  /** The scene opens a paragraph: a softer transition leads into it. */
  paragraphStart: boolean;
  /** A planner's own picture description; else one is made from the text. */
  imagePrompt?: string;
}

/**
 * Scenes and summary from drafts, whoever cut them (this splitter or a
 * cloud planner): durations from the words, paced towards the target,
 * motions, transitions and seeds.
 */
export function storyboardOf(
  drafts: readonly SceneDraft[],
  context: { story: string; language: string; targetSeconds: number; truncated: boolean; options: SplitOptions },
): SplitResult {
  const { story, language, targetSeconds, truncated } = context;
  const scenes = toScenes(drafts, language, targetSeconds, context.options);
  const sceneUnits = drafts.reduce((sum, d) => sum + d.units, 0);
  return {
    scenes,
    language,
    summary: {
      unit: speechPace(language).unit,
      storyUnits: truncated ? speechUnitsOfLongText(story, language) : sceneUnits,
      keptUnits: sceneUnits,
      truncated,
      estimatedSeconds: round1(scenes.reduce((sum, s) => sum + s.durationSeconds, 0)),
      targetSeconds,
    },
  };
}

function sceneCountFor(targetSeconds: number, units: number, maxUnits: number, pieceCount: number): number {
  const paced = Math.round(targetSeconds / IDEAL_SCENE_SECONDS);
  const needed = Math.ceil(units / maxUnits);
  return Math.max(1, Math.min(MAX_SCENES, pieceCount, Math.max(paced, needed)));
}

/**
 * Greedy, in story order: a scene closes when the next piece would not fit,
 * when it has reached its share of what is left, or when a paragraph starts
 * and it is already well filled. Re-aiming at every step keeps scenes even.
 */
function groupPieces(pieces: readonly StoryPiece[], sceneCount: number, maxUnits: number): StoryPiece[][] {
  let remaining = pieces.reduce((sum, p) => sum + p.units, 0);
  const groups: StoryPiece[][] = [];
  let current: StoryPiece[] = [];
  let units = 0;
  for (const piece of pieces) {
    if (current.length > 0) {
      const scenesLeft = Math.max(1, sceneCount - groups.length);
      const goal = (remaining + units) / scenesLeft;
      const overflow = units + piece.units > maxUnits;
      const full = units >= goal;
      const closerIfClosed = units >= goal / 2 && Math.abs(units + piece.units - goal) > Math.abs(goal - units);
      const paragraph = piece.paragraphStart && units >= goal * 0.6;
      if (overflow || full || closerIfClosed || paragraph) {
        groups.push(current);
        current = [];
        units = 0;
      }
    }
    current.push(piece);
    units += piece.units;
    remaining -= piece.units;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function toScenes(
  drafts: readonly SceneDraft[],
  language: string,
  targetSeconds: number,
  options: SplitOptions,
): Scene[] {
  const newId = options.newId ?? newSceneId;
  const seed = options.newSeedValue ?? newSeed;
  const reading = drafts.map((draft) =>
    Math.max(MIN_SCENE_SECONDS, narrationSeconds(draft.units, language) + BREATH_SECONDS),
  );
  const total = reading.reduce((a, b) => a + b, 0);
  const stretch = total < targetSeconds ? Math.min(MAX_STRETCH, targetSeconds / total) : 1;
  const places = storyPlaces(
    drafts.map((d) => d.text),
    language,
  );
  let previous: Motion | undefined;
  return drafts.map((draft, i) => {
    const next = drafts[i + 1];
    const motion = chooseMotion(draft.text, i, previous);
    previous = motion;
    return {
      id: newId(),
      text: draft.text,
      imagePrompt: draft.imagePrompt ?? imagePromptFor(draft.text, language, places[i]),
      durationSeconds: round1((reading[i] as number) * stretch),
      motion,
      transition: chooseTransition(next?.text, next?.paragraphStart ?? false),
      seed: seed(),
      imagePath: null,
    };
  });
}

/** A single scene's on-screen time from its words, as the splitter estimates it before any stretching. */
export function estimateSceneSeconds(text: string, language: string): number {
  const units = speechUnitsOfLongText(text, language);
  return round1(Math.max(MIN_SCENE_SECONDS, narrationSeconds(units, language) + BREATH_SECONDS));
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

import { unprocessable } from '@storyreel/shared';
import { imagePromptFor, storyPlaces } from './imagePrompt.js';
import { MAX_SCENES, type Scene } from './projectModel.js';
import { newSceneId, newSeed } from './randomIds.js';
import { estimateSceneSeconds } from './sceneSplitter.js';
import {
  chooseMotion,
  chooseTransition,
  type Motion,
  type Transition,
  type TransitionType,
  transitionOf,
} from './shotDirection.js';

/**
 * One call edits the whole scene list: the order given is the new order,
 * scenes left out are removed, scenes without an id are new. What the user
 * did not change follows what they did: a new text gets a new image prompt
 * and duration unless those were edited too, and an image survives only
 * while its prompt and seed stay the same.
 */
export interface SceneEdit {
  id?: string;
  text: string;
  imagePrompt?: string;
  durationSeconds?: number;
  motion?: Motion;
  transition?: TransitionType | Transition;
  seed?: number;
}

export interface EditOptions {
  language: string;
  newId?: () => string;
  newSeedValue?: () => number;
}

export function applySceneEdits(current: readonly Scene[], edits: readonly SceneEdit[], options: EditOptions): Scene[] {
  const byId = new Map(current.map((s) => [s.id, s]));
  const problems: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  edits.forEach((edit, i) => {
    if (edit.id === undefined) return;
    if (!byId.has(edit.id))
      problems.push({
        field: `scenes.${i}.id`,
        message: 'no scene with this id in the project (omit the id to add a scene)',
      });
    if (seen.has(edit.id)) problems.push({ field: `scenes.${i}.id`, message: 'this scene id appears twice' });
    seen.add(edit.id);
  });
  if (edits.length > MAX_SCENES) problems.push({ field: 'scenes', message: `at most ${MAX_SCENES} scenes` });
  if (problems.length > 0)
    throw unprocessable(`invalid scenes: ${problems.map((p) => p.field).join(', ')}`, { fields: problems });

  const newId = options.newId ?? newSceneId;
  const seedOf = options.newSeedValue ?? newSeed;
  const places = storyPlaces(
    edits.map((e) => e.text.trim()),
    options.language,
  );
  let previousMotion: Motion | undefined;
  return edits.map((edit, i) => {
    const base = edit.id === undefined ? undefined : byId.get(edit.id);
    const text = edit.text.trim();
    const textChanged = base?.text !== text;
    const promptEdited =
      edit.imagePrompt !== undefined && edit.imagePrompt.trim() !== '' && edit.imagePrompt !== base?.imagePrompt;
    const imagePrompt = promptEdited
      ? (edit.imagePrompt as string).trim()
      : base && !textChanged && edit.imagePrompt !== ''
        ? base.imagePrompt
        : imagePromptFor(text, options.language, places[i]);
    const durationEdited = edit.durationSeconds !== undefined && edit.durationSeconds !== base?.durationSeconds;
    const durationSeconds = durationEdited
      ? (edit.durationSeconds as number)
      : base && !textChanged
        ? base.durationSeconds
        : estimateSceneSeconds(text, options.language);
    const motion = edit.motion ?? base?.motion ?? chooseMotion(text, i, previousMotion);
    previousMotion = motion;
    const next = edits[i + 1];
    const transition =
      typeof edit.transition === 'string'
        ? transitionOf(edit.transition)
        : (edit.transition ?? base?.transition ?? chooseTransition(next?.text, false));
    const seed = edit.seed ?? base?.seed ?? seedOf();
    const imageStillFits = base !== undefined && base.imagePrompt === imagePrompt && base.seed === seed;
    return {
      id: base?.id ?? newId(),
      text,
      imagePrompt,
      durationSeconds,
      motion,
      transition,
      seed,
      imagePath: imageStillFits ? base.imagePath : null,
    };
  });
}

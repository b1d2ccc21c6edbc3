/**
 * Where each scene sits in the movie, by the render service's rule
 * (services/render/src/timeline.ts): a scene is fully on screen for its
 * narration plus a breath, and the transition into the next scene is added
 * after it, never carved out of it:
 *
 *     offset_0 = 0,   offset_{i+1} = offset_i + duration_i + transition_i
 *
 * Captions and music need these times before render runs, so they are
 * computed here from the same inputs the render manifest gets.
 */

/** Silence after the last word, so a scene does not cut away mid-breath. */
export const NARRATION_PAD_SECONDS = 0.4;
/** How long a scene without narration stays on screen. */
export const SILENT_SCENE_SECONDS = 3;
/** The render manifest's shortest scene. */
const MIN_SCENE_SECONDS = 0.5;

export interface TimelineTransition {
  type: string;
  durationSeconds: number;
}

export interface TimelineScene {
  id: string;
  transition: TimelineTransition;
  /** Seconds of narration, or null for a silent scene. */
  narrationSeconds: number | null;
}

export interface PlacedScene {
  id: string;
  /** When the scene is fully on screen: its narration and captions start here. */
  offsetSeconds: number;
  durationSeconds: number;
  transition: TimelineTransition;
}

export interface MovieTimeline {
  scenes: PlacedScene[];
  durationSeconds: number;
}

const roundMs = (seconds: number) => Math.round(seconds * 1000) / 1000;

export function sceneSeconds(narrationSeconds: number | null): number {
  if (narrationSeconds === null) return SILENT_SCENE_SECONDS;
  return roundMs(Math.max(MIN_SCENE_SECONDS, narrationSeconds + NARRATION_PAD_SECONDS));
}

export function movieTimeline(scenes: readonly TimelineScene[]): MovieTimeline {
  let offset = 0;
  const placed = scenes.map((scene, i) => {
    const durationSeconds = sceneSeconds(scene.narrationSeconds);
    const isLast = i === scenes.length - 1;
    const transitionSeconds = isLast || scene.transition.type === 'cut' ? 0 : scene.transition.durationSeconds;
    const at = { id: scene.id, offsetSeconds: roundMs(offset), durationSeconds, transition: scene.transition };
    offset += durationSeconds + transitionSeconds;
    return at;
  });
  const last = placed[placed.length - 1];
  return { scenes: placed, durationSeconds: last ? roundMs(last.offsetSeconds + last.durationSeconds) : 0 };
}

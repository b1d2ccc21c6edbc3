import type { TransitionSpec } from './manifest.js';

/**
 * Where every scene sits in the movie.
 *
 * The rule: a transition is added between two scenes, never taken out of
 * them. Scene i owns `durationSeconds` d_i of the movie during which it is
 * fully on screen: its narration starts at its start S_i, and its captions
 * with it. The transition into the next scene (t_i, 0 for a cut) follows,
 * so
 *
 *     S_0 = 0,   S_{i+1} = S_i + d_i + t_i,   movie = Σ d_i + Σ t_i.
 *
 * xfade overlaps its two inputs by t_i, so scene i's picture has to exist
 * for t_{i-1} + d_i + t_i: it is already visible while fading in and still
 * visible while fading out. Were the transitions carved out of d_i instead,
 * each transition would shift every later scene earlier than its narration,
 * and the captions (timed on the narration) would drift a little more at
 * each cut. The gap of t_i between two narrations is the breath a viewer
 * expects while the picture changes.
 *
 * All times are whole frames, rounded from the ideal seconds cumulatively
 * (never per scene), so no scene drifts by more than half a frame however
 * many precede it, and the audio, placed in samples from the same frames,
 * stays on the picture.
 */
export interface SceneTiming {
  /** First frame at which the scene is fully on screen; narration and captions start here. */
  startFrame: number;
  /** Frames fully on screen (d_i). */
  holdFrames: number;
  /** Frames of the transition into the next scene (t_i); 0 for a cut and for the last scene. */
  transitionOutFrames: number;
  /** Frames the scene's picture must last: t_{i-1} + d_i + t_i. */
  visualFrames: number;
  startSeconds: number;
  /** d_i + t_i: the time from this scene's start to the next one's, the room its narration has. */
  slotSeconds: number;
}

export interface Timeline {
  fps: number;
  scenes: SceneTiming[];
  totalFrames: number;
  durationSeconds: number;
}

export interface TimedScene {
  durationSeconds: number;
  transition: TransitionSpec;
}

function transitionSeconds(scene: TimedScene, isLast: boolean): number {
  return isLast || scene.transition.type === 'cut' ? 0 : scene.transition.durationSeconds;
}

export function buildTimeline(scenes: readonly TimedScene[], fps: number): Timeline {
  const toFrame = (seconds: number) => Math.round(seconds * fps);
  const timings: SceneTiming[] = [];
  let idealStart = 0;
  let previousTransition = 0;
  scenes.forEach((scene, i) => {
    const idealHoldEnd = idealStart + scene.durationSeconds;
    const idealNextStart = idealHoldEnd + transitionSeconds(scene, i === scenes.length - 1);
    const startFrame = toFrame(idealStart);
    const holdFrames = toFrame(idealHoldEnd) - startFrame;
    const transitionOutFrames = toFrame(idealNextStart) - toFrame(idealHoldEnd);
    timings.push({
      startFrame,
      holdFrames,
      transitionOutFrames,
      visualFrames: previousTransition + holdFrames + transitionOutFrames,
      startSeconds: startFrame / fps,
      slotSeconds: (holdFrames + transitionOutFrames) / fps,
    });
    previousTransition = transitionOutFrames;
    idealStart = idealNextStart;
  });
  const last = timings[timings.length - 1];
  const totalFrames = last ? last.startFrame + last.holdFrames : 0;
  return { fps, scenes: timings, totalFrames, durationSeconds: totalFrames / fps };
}

/** Frame at which the transition out of scene i begins: xfade's offset in the joined stream. */
export function transitionStartFrame(timing: SceneTiming): number {
  return timing.startFrame + timing.holdFrames;
}

import type { Timeline } from './timeline.js';
import type { FrameWindow } from './videoGraph.js';

/**
 * A run of whole scenes rendered by its own FFmpeg process. It starts when
 * its first scene is fully on screen (never inside a transition) and ends
 * when the next segment's first scene is: the transition between the two
 * is rendered inside this segment, which shows the first frames of the next
 * scene for it.
 */
export interface Segment extends FrameWindow {
  firstScene: number;
  /** The last scene whose hold is in the segment; the next scene may appear in its closing transition. */
  lastScene: number;
}

export interface SegmentPolicy {
  /**
   * Memory grows with the scenes one FFmpeg graph holds (each still keeps
   * its decoder and frame buffers to the end of the run), so this bounds a
   * segment's peak memory.
   */
  maxScenes: number;
  /** Segments a movie is split into at least, so several processes share the work (when it has that many scenes). */
  minSegments: number;
}

/**
 * Splits the movie into as few segments as the policy allows, with the
 * scenes spread evenly over them (memory follows the scene count, not the
 * length). One segment means the movie is rendered by one process.
 */
export function planSegments(timeline: Timeline, policy: SegmentPolicy): Segment[] {
  const scenes = timeline.scenes;
  const n = scenes.length;
  const count = Math.min(n, Math.max(Math.ceil(n / Math.max(1, policy.maxScenes)), policy.minSegments, 1));
  return Array.from({ length: count }, (_, k) => {
    const firstScene = Math.round((k * n) / count);
    const lastScene = Math.round(((k + 1) * n) / count) - 1;
    const next = scenes[lastScene + 1];
    return {
      firstScene,
      lastScene,
      fromFrame: scenes[firstScene]?.startFrame ?? 0,
      toFrame: next ? next.startFrame : timeline.totalFrames,
    };
  });
}

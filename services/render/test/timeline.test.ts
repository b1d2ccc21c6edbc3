import { describe, expect, it } from 'vitest';
import type { TransitionSpec } from '../src/manifest.js';
import { buildTimeline, transitionStartFrame } from '../src/timeline.js';

const fade = (durationSeconds: number): TransitionSpec => ({ type: 'fade', durationSeconds });
const cut: TransitionSpec = { type: 'cut', durationSeconds: 0.5 };

describe('timeline', () => {
  it('adds each transition between two scenes instead of taking it out of them', () => {
    const t = buildTimeline(
      [
        { durationSeconds: 3, transition: fade(0.5) },
        { durationSeconds: 2, transition: cut },
        { durationSeconds: 4, transition: fade(1) },
      ],
      30,
    );
    // S0 = 0, S1 = 3 + 0.5, S2 = S1 + 2 + 0 (cut); the last scene's transition is ignored.
    expect(t.scenes.map((s) => s.startSeconds)).toEqual([0, 3.5, 5.5]);
    expect(t.durationSeconds).toBe(9.5);
    expect(t.totalFrames).toBe(285);
    expect(t.scenes.map((s) => s.holdFrames)).toEqual([90, 60, 120]);
    expect(t.scenes.map((s) => s.transitionOutFrames)).toEqual([15, 0, 0]);
    // A scene's picture lasts its own time plus the transitions on both sides of it.
    expect(t.scenes.map((s) => s.visualFrames)).toEqual([105, 75, 120]);
    expect(t.scenes.map((s) => s.slotSeconds)).toEqual([3.5, 2, 4]);
  });

  it('starts each transition when its scene has been fully on screen for its whole duration', () => {
    const t = buildTimeline(
      [
        { durationSeconds: 2, transition: fade(0.5) },
        { durationSeconds: 2, transition: fade(0.5) },
        { durationSeconds: 2, transition: fade(0.5) },
      ],
      30,
    );
    const [a, b] = t.scenes;
    if (!a || !b) throw new Error('two scenes expected');
    expect(transitionStartFrame(a)).toBe(60);
    // The second scene is fully on screen when the first transition ends: 2 s + 0.5 s.
    expect(b.startFrame).toBe(75);
    expect(transitionStartFrame(b)).toBe(135);
    // xfade of inputs of these lengths yields exactly the total: Σ visual − Σ overlaps.
    const visual = t.scenes.reduce((sum, s) => sum + s.visualFrames, 0);
    const overlaps = t.scenes.reduce((sum, s) => sum + s.transitionOutFrames, 0);
    expect(visual - overlaps).toBe(t.totalFrames);
  });

  it('rounds cumulatively, so many odd scene lengths do not drift from the ideal starts', () => {
    const scenes = Array.from({ length: 60 }, () => ({ durationSeconds: 1.01, transition: fade(0.27) }));
    const t = buildTimeline(scenes, 24);
    t.scenes.forEach((s, i) => {
      expect(Math.abs(s.startSeconds - i * 1.28)).toBeLessThanOrEqual(0.5 / 24 + 1e-9);
    });
    const ideal = 60 * 1.01 + 59 * 0.27;
    expect(Math.abs(t.durationSeconds - ideal)).toBeLessThanOrEqual(0.5 / 24 + 1e-9);
  });

  it('treats a cut, and the last scene, as no overlap', () => {
    const t = buildTimeline(
      [
        { durationSeconds: 1, transition: cut },
        { durationSeconds: 1, transition: fade(2) },
      ],
      25,
    );
    expect(t.scenes.map((s) => [s.transitionOutFrames, s.visualFrames])).toEqual([
      [0, 25],
      [0, 25],
    ]);
    expect(t.durationSeconds).toBe(2);
  });
});

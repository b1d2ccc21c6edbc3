import { describe, expect, it } from 'vitest';
import { movieTimeline } from '../src/captionTimeline.js';

const w = (text: string, start: number, end: number) => ({ text, start, end });

describe('movieTimeline', () => {
  it('shifts each scene by its start, in scene order, and breaks at each scene end', () => {
    const timeline = movieTimeline([
      { id: 'b', offsetSeconds: 4, durationSeconds: 3, words: [w('second', 0.1, 0.6), w('scene', 0.7, 1.2)] },
      { id: 'a', offsetSeconds: 0, durationSeconds: 4, words: [w('first', 0.2, 0.8)] },
    ]);
    expect(timeline.words).toEqual([w('first', 0.2, 0.8), w('second', 4.1, 4.6), w('scene', 4.7, 5.2)]);
    expect([...timeline.breakAfter]).toEqual([0, 2]);
    expect(timeline.audioEnd).toBe(7);
  });

  it('keeps words inside their scene, even when timings overrun it or the next scene starts early', () => {
    const timeline = movieTimeline([
      { id: 'a', offsetSeconds: 0, durationSeconds: 2, words: [w('late', 1.5, 3)] },
      { id: 'b', offsetSeconds: 1.8, durationSeconds: 1, words: [w('overrun', 0.5, 9)] },
    ]);
    expect(timeline.words).toEqual([w('late', 1.5, 1.8), w('overrun', 2.3, 2.8)]);
    expect(timeline.audioEnd).toBe(2.8);
  });

  it('tidies whitespace inside words and drops empty ones', () => {
    const timeline = movieTimeline([
      { id: 'a', offsetSeconds: 0, durationSeconds: 2, words: [w(' two\nlines ', 0, 1), w('   ', 1, 1.5)] },
    ]);
    expect(timeline.words.map((x) => x.text)).toEqual(['two lines']);
  });
});

import type { WordTiming } from '@storyreel/shared';

export interface SceneTiming {
  id: string;
  /** Where the scene's audio starts in the movie. */
  offsetSeconds: number;
  durationSeconds: number;
  /** Timings relative to the scene's own audio. */
  words: readonly WordTiming[];
}

export interface CaptionTimeline {
  words: WordTiming[];
  /** Indexes of the last word of each scene: a cue never spans a scene change. */
  breakAfter: Set<number>;
  /** End of the movie's audio; no cue runs past it. */
  audioEnd: number;
}

/**
 * The movie's caption timeline: each scene's words shifted by the scene's
 * start, in scene order. A word is kept inside its scene's window (up to
 * where the next scene starts), so scenes never interleave.
 */
export function movieTimeline(scenes: readonly SceneTiming[]): CaptionTimeline {
  const ordered = [...scenes].sort((a, b) => a.offsetSeconds - b.offsetSeconds);
  const words: WordTiming[] = [];
  const breakAfter = new Set<number>();
  ordered.forEach((scene, i) => {
    const next = ordered[i + 1];
    const windowEnd = Math.min(
      scene.offsetSeconds + scene.durationSeconds,
      next?.offsetSeconds ?? Number.POSITIVE_INFINITY,
    );
    const clamp = (t: number) => Math.min(Math.max(scene.offsetSeconds + t, scene.offsetSeconds), windowEnd);
    for (const word of scene.words) {
      const text = word.text.replace(/\s+/g, ' ').trim();
      if (text) words.push({ text, start: clamp(word.start), end: clamp(word.end) });
    }
    if (words.length) breakAfter.add(words.length - 1);
  });
  const audioEnd = Math.max(0, ...ordered.map((s) => s.offsetSeconds + s.durationSeconds));
  return { words, breakAfter, audioEnd };
}

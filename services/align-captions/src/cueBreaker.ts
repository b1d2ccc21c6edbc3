import type { WordTiming } from '@storyreel/shared';
import { joinWords, textWidth } from './lineText.js';

export interface CueLimits {
  maxLineChars: number;
  maxLines: number;
  /** Reading speed: a cue stays up until this many characters per second could be read, when there is room. */
  maxCharsPerSecond: number;
  maxDurationSeconds: number;
  /** Shortest time a cue stays up, when there is room. */
  minDurationSeconds: number;
  /** A silence longer than this ends a cue: captions do not hang over a pause. */
  maxGapSeconds: number;
}

/** The usual broadcast and streaming limits (42 characters, 2 lines, 17 characters per second, 7 seconds). */
export const DEFAULT_CUE_LIMITS: CueLimits = {
  maxLineChars: 42,
  maxLines: 2,
  maxCharsPerSecond: 17,
  maxDurationSeconds: 7,
  minDurationSeconds: 1,
  maxGapSeconds: 1.5,
};

export interface Cue {
  start: number;
  end: number;
  /** The cue's words line by line, each word once, in spoken order. */
  lines: WordTiming[][];
}

const CLOSERS = `["'”’»)\\]]*$`;
const SENTENCE_END = new RegExp(`[.!?…。！？]${CLOSERS}`, 'u');
const CLAUSE_END = new RegExp(`[,;:—–，；：、]${CLOSERS}`, 'u');

const widthOf = (words: readonly WordTiming[]) => textWidth(joinWords(words));

/** Fewest lines of at most `max` wide, filling each line in turn (a longer word gets a line to itself). */
function fillLines(words: readonly WordTiming[], max: number): WordTiming[][] {
  const lines: WordTiming[][] = [];
  for (const word of words) {
    const line = lines.at(-1);
    if (line && widthOf([...line, word]) <= max) line.push(word);
    else lines.push([word]);
  }
  return lines;
}

/** Lines of a cue: two lines are balanced, with a bias for breaking after a comma. */
function layout(words: readonly WordTiming[], limits: CueLimits): WordTiming[][] {
  const filled = fillLines(words, limits.maxLineChars);
  if (filled.length !== 2) return filled;
  let best = filled;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let split = 1; split < words.length; split++) {
    const top = words.slice(0, split);
    const bottom = words.slice(split);
    const widths = [widthOf(top), widthOf(bottom)];
    const tooWide = (line: WordTiming[], width: number) => width > limits.maxLineChars && line.length > 1;
    if (tooWide(top, widths[0] as number) || tooWide(bottom, widths[1] as number)) continue;
    const afterClause = CLAUSE_END.test(top.at(-1)?.text ?? '') ? limits.maxLineChars * 0.2 : 0;
    const cost = Math.max(...widths) - afterClause;
    if (cost < bestCost) {
      best = [top, bottom];
      bestCost = cost;
    }
  }
  return best;
}

/**
 * Groups words into caption cues. A cue ends at the end of a sentence, at a
 * pause, at a forced break (a scene change), or before it would outgrow its
 * lines or its longest duration, in which case it ends at the last comma
 * when that leaves a substantial cue. Words are never split, each appears
 * exactly once and in order, and no cue runs past `audioEnd`.
 */
export function breakCues(
  words: readonly WordTiming[],
  options: { audioEnd: number; limits?: Partial<CueLimits>; breakAfter?: ReadonlySet<number> },
): Cue[] {
  const limits = { ...DEFAULT_CUE_LIMITS, ...options.limits };
  const audioEnd = Math.max(0, options.audioEnd);
  const timed = words.map((w) => {
    const start = Math.min(Math.max(0, w.start), audioEnd);
    return { ...w, start, end: Math.min(Math.max(start, w.end), audioEnd) };
  });

  const mustBreakAfter = (i: number) => {
    const word = timed[i] as WordTiming;
    const next = timed[i + 1];
    return (
      SENTENCE_END.test(word.text) ||
      (options.breakAfter?.has(i) ?? false) ||
      (next !== undefined && next.start - word.end > limits.maxGapSeconds)
    );
  };
  /** Whether words [from, to) fit one cue. */
  const fits = (from: number, to: number) => {
    const cue = timed.slice(from, to);
    if (cue.length === 1) return true;
    const span = (cue.at(-1) as WordTiming).end - (cue[0] as WordTiming).start;
    return span <= limits.maxDurationSeconds && fillLines(cue, limits.maxLineChars).length <= limits.maxLines;
  };

  const ranges: [number, number][] = [];
  let from = 0;
  while (from < timed.length) {
    let to = from + 1;
    let full = false;
    while (to < timed.length && !mustBreakAfter(to - 1)) {
      if (CLAUSE_END.test((timed[to - 1] as WordTiming).text) && widthOf(timed.slice(from, to)) >= limits.maxLineChars)
        break;
      if (!fits(from, to + 1)) {
        full = true;
        break;
      }
      to++;
    }
    if (full) {
      // Prefer ending at the last clause when the cue keeps at least half a line.
      for (let k = to - 1; k > from; k--) {
        if (
          CLAUSE_END.test((timed[k - 1] as WordTiming).text) &&
          widthOf(timed.slice(from, k)) >= limits.maxLineChars / 2
        ) {
          to = k;
          break;
        }
      }
    }
    ranges.push([from, to]);
    from = to;
  }

  return ranges.map(([first, last], index) => {
    const cueWords = timed.slice(first, last);
    const start = (cueWords[0] as WordTiming).start;
    const spoken = Math.max(...cueWords.map((w) => w.end));
    const nextStart =
      index + 1 < ranges.length ? (timed[(ranges[index + 1] as [number, number])[0]] as WordTiming).start : audioEnd;
    const readable = start + Math.max(limits.minDurationSeconds, widthOf(cueWords) / limits.maxCharsPerSecond);
    const latest = Math.min(nextStart, audioEnd, Math.max(spoken, start + limits.maxDurationSeconds));
    const end = Math.max(start, Math.min(Math.max(spoken, readable), latest));
    return { start, end, lines: layout(cueWords, limits) };
  });
}

import type { WordTiming } from '@storyreel/shared';
import { describe, expect, it } from 'vitest';
import { breakCues, type Cue, DEFAULT_CUE_LIMITS } from '../src/cueBreaker.js';
import { joinWords, textWidth } from '../src/lineText.js';

/** Deterministic pseudo-random numbers, so a failing case can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const VOCABULARY = [
  'a',
  'fox',
  'ran',
  'through',
  'the',
  'dark',
  'forest',
  'and',
  'found',
  'extraordinarily',
  'golden',
  'key',
  'under',
  'it',
];

/** Narration-like words: varied lengths and pauses, some commas and full stops, an occasional very long word. */
function narration(seed: number, count: number, wordsPerSecond = 2.5): WordTiming[] {
  const next = random(seed);
  const words: WordTiming[] = [];
  let t = next() * 0.5;
  for (let i = 0; i < count; i++) {
    let text =
      next() < 0.02
        ? 'Pneumonoultramicroscopicsilicovolcanoconiosis'
        : (VOCABULARY[Math.floor(next() * VOCABULARY.length)] as string);
    const r = next();
    if (r < 0.08) text += '.';
    else if (r < 0.16) text += ',';
    const duration = (0.6 + next() * 0.8) / wordsPerSecond;
    words.push({ text, start: t, end: t + duration });
    t += duration + (text.endsWith('.') ? 0.6 : next() < 0.05 ? 2 : 0.05);
  }
  return words;
}

function checkInvariants(
  words: readonly WordTiming[],
  cues: readonly Cue[],
  audioEnd: number,
  maxLineChars = DEFAULT_CUE_LIMITS.maxLineChars,
) {
  // Every word exactly once, in order, never split.
  expect(cues.flatMap((c) => c.lines.flat().map((w) => w.text))).toEqual(words.map((w) => w.text));
  for (const [i, cue] of cues.entries()) {
    const cueWords = cue.lines.flat();
    expect(cue.lines.length).toBeLessThanOrEqual(DEFAULT_CUE_LIMITS.maxLines);
    for (const line of cue.lines) {
      if (line.length > 1) expect(textWidth(joinWords(line))).toBeLessThanOrEqual(maxLineChars);
    }
    if (cueWords.length > 1) {
      expect((cueWords.at(-1) as WordTiming).end - (cueWords[0] as WordTiming).start).toBeLessThanOrEqual(
        DEFAULT_CUE_LIMITS.maxDurationSeconds + 1e-9,
      );
    }
    expect(cue.end).toBeGreaterThanOrEqual(cue.start);
    expect(cue.end).toBeLessThanOrEqual(audioEnd + 1e-9);
    const next = cues[i + 1];
    if (next) expect(cue.end).toBeLessThanOrEqual(next.start + 1e-9);
    // Reading speed holds unless the cue already reaches the next cue, the audio end or its longest duration.
    const chars = textWidth(cue.lines.map(joinWords).join(' '));
    const boundedBy = Math.min(next?.start ?? audioEnd, audioEnd, cue.start + DEFAULT_CUE_LIMITS.maxDurationSeconds);
    if (cue.end < boundedBy - 1e-9)
      expect(chars / (cue.end - cue.start)).toBeLessThanOrEqual(DEFAULT_CUE_LIMITS.maxCharsPerSecond + 1e-9);
    // A sentence never continues in the same cue.
    for (const word of cueWords.slice(0, -1)) expect(word.text).not.toMatch(/\.$/);
  }
}

describe('breakCues', () => {
  it('keeps every limit on many random narrations', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const words = narration(seed, 5 + (seed % 120), seed % 3 === 0 ? 4 : 2.5);
      const audioEnd = (words.at(-1) as WordTiming).end + (seed % 2 ? 0.5 : 0);
      checkInvariants(words, breakCues(words, { audioEnd }), audioEnd);
    }
  });

  it('keeps the limits with the narrow lines of vertical video', () => {
    for (let seed = 300; seed < 350; seed++) {
      const words = narration(seed, 60);
      const audioEnd = (words.at(-1) as WordTiming).end;
      checkInvariants(words, breakCues(words, { audioEnd, limits: { maxLineChars: 16 } }), audioEnd, 16);
    }
  });

  it('ends cues at sentence ends and breaks lines between words', () => {
    const words = [
      'The',
      'fox',
      'ran',
      'home.',
      'It',
      'was',
      'late,',
      'and',
      'the',
      'moon',
      'was',
      'high',
      'above',
      'the',
      'quiet',
      'village',
      'streets',
      'tonight.',
    ].map((text, i) => ({ text, start: i * 0.4, end: i * 0.4 + 0.35 }));
    const cues = breakCues(words, { audioEnd: 10 });
    expect(cues.map((c) => c.lines.map(joinWords))).toEqual([
      ['The fox ran home.'],
      ['It was late, and the moon was high', 'above the quiet village streets tonight.'],
    ]);
  });

  it('prefers ending a full cue at a comma', () => {
    const text =
      'When the long winter finally ended across the northern valley, the children ran out into the fields with their dogs and their kites and their noisy laughter';
    const words = text.split(' ').map((w, i) => ({ text: w, start: i * 0.25, end: i * 0.25 + 0.2 }));
    const cues = breakCues(words, { audioEnd: 20 });
    expect(joinWords(cues[0]!.lines.flat())).toBe('When the long winter finally ended across the northern valley,');
  });

  it('never lets a cue span a forced break (a scene change) or a long pause', () => {
    const words = [
      { text: 'one', start: 0, end: 0.3 },
      { text: 'two', start: 0.35, end: 0.6 },
      { text: 'three', start: 0.65, end: 0.9 },
      { text: 'four', start: 3, end: 3.3 },
    ];
    const cues = breakCues(words, { audioEnd: 4, breakAfter: new Set([0]) });
    expect(cues.map((c) => joinWords(c.lines.flat()))).toEqual(['one', 'two three', 'four']);
  });

  it('clips words and cues to the audio end', () => {
    const words = [
      { text: 'almost', start: 0, end: 0.5 },
      { text: 'over', start: 0.6, end: 2.5 },
    ];
    const cues = breakCues(words, { audioEnd: 1 });
    expect(cues).toHaveLength(1);
    expect(cues[0]!.end).toBe(1);
    expect(cues[0]!.lines.flat()[1]!.end).toBe(1);
  });

  it('lays CJK words out without spaces and counts them double-width', () => {
    const words = Array.from({ length: 30 }, (_, i) => ({ text: '朋友', start: i * 0.3, end: i * 0.3 + 0.25 }));
    const cues = breakCues(words, { audioEnd: 10 });
    const first = cues[0]!.lines.map(joinWords);
    expect(first[0]).toMatch(/^(朋友)+$/);
    for (const line of first) expect(textWidth(line)).toBeLessThanOrEqual(42);
    checkInvariants(words, cues, 10);
  });

  it('returns no cues for no words', () => {
    expect(breakCues([], { audioEnd: 3 })).toEqual([]);
  });
});

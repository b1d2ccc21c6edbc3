import { speechUnits } from './speechRate.js';

/**
 * Story text -> sentence-sized pieces, in order, with every word kept.
 * A sentence is only cut when it alone is longer than one scene may be:
 * first at clause punctuation, then between words.
 */
export interface StoryPiece {
  text: string;
  units: number;
  /** First piece of a paragraph: a natural place for a scene to start. */
  paragraphStart: boolean;
}

export interface SegmentOptions {
  language: string;
  maxUnits: number;
  /** Stop once this many units are collected; the rest of the story is reported, not segmented. */
  budgetUnits: number;
}

export interface SegmentResult {
  pieces: StoryPiece[];
  /** The budget ran out before the story did: later words are not in `pieces`. */
  truncated: boolean;
}

/**
 * V8's segmenters slow down per segment as their input grows, so nothing
 * longer than this is handed to them in one go.
 */
export const SEGMENTER_BLOCK_CHARS = 2000;

const PARAGRAPH_BREAK = /\n[ \t\r\f\v]*\n/;
const CLAUSE_END = /(?<=[,;:—–、，；：])\s*/u;
const SENTENCE_END_SPACE = /[.!?。！？…]["'”’»)\]]*\s/gu;
const ABBREVIATION_END =
  /(?:^|[\s(])(?:Mr|Mrs|Ms|Mx|Dr|St|Prof|Sr|Sra|Jr|Mt|Capt|Col|Gen|Lt|Sgt|Rev|Hon|vs|e\.g|i\.e|z\.B|Mme|Mlle|\p{Lu})\.$/u;

const sentenceSegmenters = new Map<string, Intl.Segmenter>();

function sentenceSegmenter(language: string): Intl.Segmenter {
  let segmenter = sentenceSegmenters.get(language);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language, { granularity: 'sentence' });
    sentenceSegmenters.set(language, segmenter);
  }
  return segmenter;
}

/**
 * Segments lazily and stops at the budget, so a 300k-character story costs
 * no more than the part of it that fits in a storyboard.
 */
export function segmentStory(story: string, options: SegmentOptions): SegmentResult {
  const pieces: StoryPiece[] = [];
  let collected = 0;
  const stream = pieceStream(story, options);
  for (let next = stream.next(); !next.done; next = stream.next()) {
    const piece = next.value;
    const last = pieces[pieces.length - 1];
    if (piece.units === 0 && last) {
      // Bare punctuation or symbols: keep the characters with the words before them.
      last.text = joinText(last.text, piece.text);
      continue;
    }
    if (collected >= options.budgetUnits) {
      return { pieces, truncated: true };
    }
    pieces.push(piece);
    collected += piece.units;
  }
  return { pieces, truncated: false };
}

function* pieceStream(story: string, options: SegmentOptions): Generator<StoryPiece> {
  for (const paragraph of story.replace(/\r\n?/g, '\n').split(PARAGRAPH_BREAK)) {
    // Single newlines are usually hard wrapping, not sentence ends.
    const text = paragraph.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    let first = true;
    for (const sentence of sentences(text, options.language)) {
      for (const piece of fitToScene(sentence, options)) {
        yield { ...piece, paragraphStart: first };
        first = false;
      }
    }
  }
}

/** Sentences of one whitespace-normalised paragraph, abbreviations ("Mr.", "J.") re-joined. */
export function* sentences(paragraph: string, language: string): Generator<string> {
  let pending = '';
  for (const block of blocks(paragraph)) {
    for (const { segment } of sentenceSegmenter(language).segment(block)) {
      const sentence = segment.trim();
      if (!sentence) continue;
      pending = pending ? `${pending} ${sentence}` : sentence;
      if (!ABBREVIATION_END.test(pending)) {
        yield pending;
        pending = '';
      }
    }
  }
  if (pending) yield pending;
}

/** Cuts text longer than the segmenters handle well, at a space when one is near the limit. */
function* blocks(text: string): Generator<string> {
  let rest = text;
  while (rest.length > SEGMENTER_BLOCK_CHARS) {
    const cut = blockCut(rest);
    yield rest.slice(0, cut);
    rest = rest.slice(cut);
  }
  yield rest;
}

/** Prefers the last sentence end before the limit, then the last space, then any character boundary. */
function blockCut(text: string): number {
  const window = text.slice(0, SEGMENTER_BLOCK_CHARS);
  let cut = -1;
  SENTENCE_END_SPACE.lastIndex = 0;
  for (let m = SENTENCE_END_SPACE.exec(window); m; m = SENTENCE_END_SPACE.exec(window)) cut = m.index + m[0].length;
  if (cut > SEGMENTER_BLOCK_CHARS / 2) return cut;
  cut = window.lastIndexOf(' ');
  if (cut > SEGMENTER_BLOCK_CHARS / 2) return cut + 1;
  return safeCut(text, SEGMENTER_BLOCK_CHARS);
}

/** A cut position that does not split a surrogate pair or detach a combining mark. */
function safeCut(text: string, at: number): number {
  let cut = at;
  while (cut > 1 && /[\p{M}\uDC00-\uDFFF]/u.test(text[cut] ?? '')) cut--;
  return cut;
}

function fitToScene(sentence: string, options: SegmentOptions): Omit<StoryPiece, 'paragraphStart'>[] {
  const units = speechUnits(sentence, options.language);
  if (units <= options.maxUnits) return [{ text: sentence, units }];
  const parts: Omit<StoryPiece, 'paragraphStart'>[] = [];
  for (const clause of sentence.split(CLAUSE_END)) {
    if (!clause) continue;
    const clauseUnits = speechUnits(clause, options.language);
    if (clauseUnits <= options.maxUnits) parts.push({ text: clause, units: clauseUnits });
    else parts.push(...wordChunks(clause, options));
  }
  return pack(parts, options);
}

/** Last resort for a clause with no punctuation: cut between words (or characters, in CJK). */
function wordChunks(clause: string, options: SegmentOptions): Omit<StoryPiece, 'paragraphStart'>[] {
  const tokens = clause.includes(' ') ? clause.split(' ') : graphemeRuns(clause, options);
  const joiner = clause.includes(' ') ? ' ' : '';
  const out: Omit<StoryPiece, 'paragraphStart'>[] = [];
  let current: string[] = [];
  let units = 0;
  for (const token of tokens) {
    const tokenUnits = speechUnits(token, options.language);
    if (current.length > 0 && units + tokenUnits > options.maxUnits) {
      out.push({ text: current.join(joiner), units });
      current = [];
      units = 0;
    }
    current.push(token);
    units += tokenUnits;
  }
  if (current.length > 0) out.push({ text: current.join(joiner), units });
  return out;
}

/** Text without spaces in runs of a few characters, so a chunk boundary never splits a character. */
function graphemeRuns(text: string, options: SegmentOptions): string[] {
  const runs: string[] = [];
  const chars = Array.from(text);
  const step = Math.max(1, Math.floor(options.maxUnits / 4));
  for (let i = 0; i < chars.length; i += step) runs.push(chars.slice(i, i + step).join(''));
  return runs;
}

/** Packs consecutive parts of one sentence back together while they fit in a scene. */
function pack(
  parts: Omit<StoryPiece, 'paragraphStart'>[],
  options: SegmentOptions,
): Omit<StoryPiece, 'paragraphStart'>[] {
  const out: Omit<StoryPiece, 'paragraphStart'>[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (last && last.units + part.units <= options.maxUnits) {
      last.text = joinText(last.text, part.text);
      last.units += part.units;
    } else {
      out.push({ ...part });
    }
  }
  return out;
}

const NO_SPACE_SCRIPTS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]$/u;

/** Joins two pieces of one story; scripts written without spaces get none added. */
export function joinText(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return NO_SPACE_SCRIPTS.test(a) && /^[^\s\p{Script=Latin}]/u.test(b) ? `${a}${b}` : `${a} ${b}`;
}

import { baseLanguage } from './language.js';

/**
 * How long a text takes to narrate, before any audio exists. Languages
 * written with spaces are measured in words; Chinese and Japanese in
 * characters (one syllable or mora each); Thai and its neighbours, which
 * use no spaces, in the words Intl.Segmenter finds.
 */
export interface SpeechPace {
  unit: 'word' | 'char';
  unitsPerSecond: number;
}

/** ~35 English words: the most one still image should carry. */
export const MAX_SCENE_SECONDS = 35 / 2.6;

const CHAR_PACE: Record<string, number> = { zh: 4.5, ja: 7 };
const SEGMENTED_WORD_PACE: Record<string, number> = { th: 3, lo: 3, km: 3, my: 3 };
const WORD_PACE: Record<string, number> = { ko: 2.2, ru: 2.3, el: 2.4, de: 2.3, fi: 2.1 };
const DEFAULT_WORD_PACE = 2.6;

export function speechPace(language: string): SpeechPace {
  const lang = baseLanguage(language);
  const chars = CHAR_PACE[lang];
  if (chars) return { unit: 'char', unitsPerSecond: chars };
  return { unit: 'word', unitsPerSecond: SEGMENTED_WORD_PACE[lang] ?? WORD_PACE[lang] ?? DEFAULT_WORD_PACE };
}

const SPOKEN_CHAR = /[\p{L}\p{N}]/gu;
const SPACED_WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}'’\-.]*/gu;
const UNSPACED_SCRIPT = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

const wordSegmenters = new Map<string, Intl.Segmenter>();

/**
 * Speech units in one sentence-sized text. Only call it on short texts:
 * V8's word segmenter gets slower per word as the input grows.
 */
export function speechUnits(text: string, language: string): number {
  const pace = speechPace(language);
  if (pace.unit === 'char') return text.match(SPOKEN_CHAR)?.length ?? 0;
  if (!UNSPACED_SCRIPT.test(text)) return text.match(SPACED_WORD)?.length ?? 0;
  let segmenter = wordSegmenters.get(language);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language, { granularity: 'word' });
    wordSegmenters.set(language, segmenter);
  }
  let units = 0;
  for (const segment of segmenter.segment(text)) if (segment.isWordLike) units++;
  return units;
}

export function maxSceneUnits(language: string): number {
  return Math.round(MAX_SCENE_SECONDS * speechPace(language).unitsPerSecond);
}

export function narrationSeconds(units: number, language: string): number {
  return units / speechPace(language).unitsPerSecond;
}

/** Units of a text of any length; unspaced scripts are counted in blocks, which may split a word or two. */
export function speechUnitsOfLongText(text: string, language: string): number {
  const BLOCK = 2000;
  if (text.length <= BLOCK || !UNSPACED_SCRIPT.test(text)) return speechUnits(text, language);
  let units = 0;
  for (let i = 0; i < text.length; i += BLOCK) units += speechUnits(text.slice(i, i + BLOCK), language);
  return units;
}

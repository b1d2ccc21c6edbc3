/**
 * The story's language decides sentence rules (Intl.Segmenter locale), how
 * narration length is estimated, and which stopwords an image prompt drops.
 * Detection is by script first, then by frequent function words for Latin
 * text; a wrong guess only shifts estimates, so cheap beats exact here.
 */

const SAMPLE_CHARS = 4000;

const SCRIPT_LANGUAGE: readonly [RegExp, string][] = [
  [/\p{Script=Hangul}/gu, 'ko'],
  [/\p{Script=Cyrillic}/gu, 'ru'],
  [/\p{Script=Greek}/gu, 'el'],
  [/\p{Script=Arabic}/gu, 'ar'],
  [/\p{Script=Hebrew}/gu, 'he'],
  [/\p{Script=Devanagari}/gu, 'hi'],
  [/\p{Script=Thai}/gu, 'th'],
];

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const HAN = /\p{Script=Han}/gu;
const LATIN = /\p{Script=Latin}/gu;

/** Words frequent in running text of each language and rare in the others. */
const LATIN_MARKERS: Record<string, readonly string[]> = {
  en: ['the', 'and', 'was', 'with', 'of', 'to', 'in', 'he', 'she', 'it', 'that', 'had'],
  es: ['el', 'la', 'los', 'las', 'que', 'y', 'de', 'en', 'un', 'una', 'con', 'por', 'se'],
  fr: ['le', 'la', 'les', 'et', 'est', 'une', 'des', 'dans', 'il', 'elle', 'qui', 'pas', 'du'],
  de: ['der', 'die', 'das', 'und', 'ist', 'ein', 'eine', 'nicht', 'mit', 'sie', 'er', 'es', 'den'],
  it: ['il', 'la', 'che', 'e', 'di', 'un', 'una', 'per', 'non', 'gli', 'della', 'era', 'con'],
  pt: ['o', 'a', 'os', 'as', 'que', 'e', 'de', 'um', 'uma', 'com', 'não', 'era', 'ele'],
  nl: ['de', 'het', 'een', 'en', 'van', 'niet', 'zijn', 'met', 'hij', 'zij', 'was', 'dat'],
};

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

export function detectLanguage(text: string): string {
  const sample = text.slice(0, SAMPLE_CHARS);
  const kana = count(sample, KANA);
  const han = count(sample, HAN);
  const latin = count(sample, LATIN);
  let best = { lang: 'en', letters: latin };
  if (han + kana > best.letters) best = { lang: kana > 0 ? 'ja' : 'zh', letters: han + kana };
  for (const [pattern, lang] of SCRIPT_LANGUAGE) {
    const letters = count(sample, pattern);
    if (letters > best.letters) best = { lang, letters };
  }
  return best.lang === 'en' ? latinLanguage(sample) : best.lang;
}

function latinLanguage(sample: string): string {
  const words = sample.toLowerCase().match(/\p{L}+/gu) ?? [];
  const scores = new Map<string, number>();
  for (const word of words) {
    for (const [lang, markers] of Object.entries(LATIN_MARKERS)) {
      if (markers.includes(word)) scores.set(lang, (scores.get(lang) ?? 0) + 1);
    }
  }
  let best = 'en';
  let bestScore = 0;
  for (const [lang, score] of scores) {
    if (score > bestScore) {
      best = lang;
      bestScore = score;
    }
  }
  return best;
}

/** A BCP 47 tag Intl accepts, canonicalised; null when it is not one. */
export function canonicalLanguage(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical ?? null;
  } catch {
    return null;
  }
}

/** The primary subtag (`pt-BR` -> `pt`): what the per-language tables are keyed by. */
export function baseLanguage(tag: string): string {
  return tag.toLowerCase().split('-')[0] ?? 'en';
}

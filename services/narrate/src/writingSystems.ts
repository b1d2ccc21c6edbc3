/**
 * Writing systems a voice can read. eSpeak does not refuse text it cannot
 * read: an English voice spells Cyrillic letter by letter ("cyrillic small
 * letter pe..."), so we check scripts before synthesis and answer 422.
 */
export const WRITING_SYSTEMS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Han',
  'Kana',
  'Hangul',
  'Arabic',
  'Hebrew',
  'Devanagari',
  'Thai',
] as const;
export type WritingSystem = (typeof WRITING_SYSTEMS)[number] | 'Other';

const PATTERNS: readonly (readonly [WritingSystem, RegExp])[] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Han', /\p{Script=Han}/u],
  ['Kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
];

/** The writing systems of the letters in `text` (digits, punctuation and emoji belong to none). */
export function writingSystemsOf(text: string): Set<WritingSystem> {
  const found = new Set<WritingSystem>();
  for (const char of text.matchAll(/\p{L}/gu)) {
    const letter = char[0];
    found.add(PATTERNS.find(([, pattern]) => pattern.test(letter))?.[0] ?? 'Other');
  }
  return found;
}

/** Writing systems in `text` that a voice reading `readable` would mangle. */
export function unreadableWritingSystems(text: string, readable: readonly WritingSystem[]): WritingSystem[] {
  return [...writingSystemsOf(text)].filter((system) => !readable.includes(system));
}

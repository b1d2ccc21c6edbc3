/** Characters that take two columns and need no spaces between words (Chinese, Japanese, Korean). */
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/** What goes between two words on a line: a space, except between CJK words. */
export function wordSeparator(left: string, right: string): string {
  return WIDE.test(left.at(-1) ?? '') && WIDE.test(right[0] ?? '') ? '' : ' ';
}

/** A line of caption text from its words. */
export function joinWords(words: readonly { text: string }[]): string {
  return words
    .map((w, i) => (i === 0 ? w.text : wordSeparator((words[i - 1] as { text: string }).text, w.text) + w.text))
    .join('');
}

/** How wide a line reads, in Latin characters: CJK characters count twice. */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

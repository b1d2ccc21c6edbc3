import type { WordTiming } from './wordTiming.js';

const WORDLIKE = /[\p{L}\p{N}]/u;
/** How much source text one word the engine spelled differently may stand for. */
const MAX_UNFOUND_WORD_CHARS = 40;

/**
 * Where `word` next occurs in `source` from `cursor`. Only spaces and
 * punctuation may lie between, unless words just before were not found
 * ("42" spoken as "forty-two"): then their text may, up to `skippable` characters.
 */
function locate(source: string, word: string, cursor: number, skippable: number): number {
  let at = source.indexOf(word, cursor);
  if (at === -1) {
    const lower = source.toLowerCase();
    // Lower-casing can change lengths (İ): offsets into it would not fit `source`.
    if (lower.length === source.length) at = lower.indexOf(word.toLowerCase(), cursor);
  }
  if (at === -1) return -1;
  const skipped = source.slice(cursor, at);
  return WORDLIKE.test(skipped) && skipped.length > skippable ? -1 : at;
}

/**
 * Splits the text between two words: what sticks to the left word (up to the
 * first space), what sticks to the right word (after the last space), and
 * what stands alone between spaces. Without a space it all sticks left ("Well-").
 */
function splitGap(gap: string): { trailing: string; middle: string; leading: string } {
  const parts = /^(\S*)\s([\s\S]*?)(\S*)$/.exec(gap);
  if (!parts) return { trailing: gap, middle: '', leading: '' };
  return { trailing: parts[1] ?? '', middle: (parts[2] ?? '').trim(), leading: parts[3] ?? '' };
}

/**
 * Speech engines and aligners report bare words ("friend"); captions need
 * them as written ("friend."). Finds each word in `source`, in order, and
 * gives it the punctuation around it: what follows up to the next space,
 * what precedes it after the previous space (“Quoted”), and a dash standing
 * alone between spaces. Words not found in `source` keep their text.
 */
export function wordsAsWritten(source: string, words: readonly WordTiming[]): WordTiming[] {
  const spans: ({ start: number; end: number } | null)[] = [];
  let cursor = 0;
  let unfound = 0;
  for (const word of words) {
    const at = locate(source, word.text, cursor, unfound * MAX_UNFOUND_WORD_CHARS);
    if (at === -1) {
      spans.push(null);
      unfound++;
      continue;
    }
    spans.push({ start: at, end: at + word.text.length });
    cursor = at + word.text.length;
    unfound = 0;
  }
  const matched = spans.flatMap((span, i) => (span ? [i] : []));
  return words.map((word, i) => {
    const span = spans[i];
    if (!span) return { ...word };
    const order = matched.indexOf(i);
    const previous = order > 0 ? spans[matched[order - 1] as number] : null;
    const next = order < matched.length - 1 ? spans[matched[order + 1] as number] : null;
    const nextIndex = order < matched.length - 1 ? (matched[order + 1] as number) : words.length;
    const before = source.slice(previous?.end ?? 0, span.start);
    const after = splitGap(source.slice(span.end, next?.start ?? source.length));
    // Before the first word nothing sticks left, so all of it leads.
    const leading = previous || /\s/.test(before) ? splitGap(before).leading : before;
    // Text standing alone between spaces joins the left word only when no unmatched word sits in the gap.
    const middle = after.middle && !WORDLIKE.test(after.middle) && nextIndex === i + 1 ? ` ${after.middle}` : '';
    return { ...word, text: `${leading}${source.slice(span.start, span.end)}${after.trailing}${middle}` };
  });
}

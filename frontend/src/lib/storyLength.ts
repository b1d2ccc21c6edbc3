/** Narration runs at about 150 words a minute (the offline voices' default pace). */
export const WORDS_PER_SECOND = 2.5;
/** Chinese and Japanese are counted in characters, about 4 a second. */
const CHARS_PER_SECOND = 4;

const CJK = /[\u3040-\u30ff\u3400-\u9fff]/gu;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

export function countWords(text: string): number {
  return text.replace(CJK, ' ').match(WORD)?.length ?? 0;
}

/** Seconds of narration a story makes, before the storyboard trims it to the target length. */
export function estimateSeconds(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  return Math.round(countWords(text) / WORDS_PER_SECOND + cjk / CHARS_PER_SECOND);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

import type { WordTiming } from '@storyreel/shared';

/**
 * A recogniser hears words, not the transcript: it may spell a number out,
 * miss a word or add one. This puts its timings on the transcript's own
 * words: the longest common subsequence of the two (compared without case
 * or punctuation) gives matched words their heard times, and the words in
 * between share the gap between their matched neighbours evenly.
 */
const bare = (word: string) => word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

export function transcriptWords(transcript: string): string[] {
  return transcript
    .split(/\s+/u)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);
}

export function timeTranscript(
  transcript: string,
  heard: readonly WordTiming[],
  durationSeconds: number,
): WordTiming[] {
  const words = transcriptWords(transcript);
  const a = words.map(bare);
  const b = heard.map((w) => bare(w.text));
  // lcs[i][j]: longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] as Uint32Array;
      row[j] =
        a[i] === b[j]
          ? (lcs[i + 1] as Uint32Array)[j + 1]! + 1
          : Math.max((lcs[i + 1] as Uint32Array)[j]!, row[j + 1]!);
    }
  }
  const times: ({ start: number; end: number } | null)[] = words.map(() => null);
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      times[i] = { start: heard[j]!.start, end: heard[j]!.end };
      i++;
      j++;
    } else if ((lcs[i + 1] as Uint32Array)[j]! >= (lcs[i] as Uint32Array)[j + 1]!) i++;
    else j++;
  }
  // Unmatched runs fill the gap between the matched words around them.
  let i = 0;
  while (i < words.length) {
    if (times[i]) {
      i++;
      continue;
    }
    let end = i;
    while (end < words.length && !times[end]) end++;
    const from = i === 0 ? 0 : (times[i - 1] as { end: number }).end;
    const to = end === words.length ? durationSeconds : (times[end] as { start: number }).start;
    const step = Math.max(0, to - from) / (end - i);
    for (let k = i; k < end; k++) times[k] = { start: from + step * (k - i), end: from + step * (k - i + 1) };
    i = end;
  }
  return words.map((text, k) => ({ text, ...(times[k] as { start: number; end: number }) }));
}

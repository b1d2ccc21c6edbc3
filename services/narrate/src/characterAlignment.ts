import type { WordTiming } from '@storyreel/shared';

/** Per-character timings, as ElevenLabs' with-timestamps synthesis returns them. */
export interface CharacterAlignment {
  characters: readonly string[];
  characterStartTimesSeconds: readonly number[];
  characterEndTimesSeconds: readonly number[];
}

const WORDLIKE = /[\p{L}\p{N}]/u;
/** Punctuation around a word is not spoken: its timing belongs to the letters. */
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/**
 * Character timings -> word timings: a word is a run of characters between
 * whitespace, heard from its first letter's start to its last letter's end.
 * Runs with no letter or digit (a dash, an ellipsis) are not words.
 * Narration later gives the words back their punctuation (wordsAsWritten).
 */
export function wordsFromCharacters(alignment: CharacterAlignment): WordTiming[] {
  const { characters, characterStartTimesSeconds: starts, characterEndTimesSeconds: ends } = alignment;
  const words: WordTiming[] = [];
  let run: number[] = [];
  const close = () => {
    const lettered = run.filter((i) => WORDLIKE.test(characters[i] as string));
    if (lettered.length > 0) {
      const text = run
        .map((i) => characters[i])
        .join('')
        .replace(EDGE_PUNCTUATION, '');
      words.push({
        text,
        start: starts[lettered[0] as number] as number,
        end: ends[lettered[lettered.length - 1] as number] as number,
      });
    }
    run = [];
  };
  characters.forEach((char, i) => {
    if (/\s/u.test(char)) close();
    else run.push(i);
  });
  close();
  return words;
}

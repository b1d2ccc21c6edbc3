import { type WordTiming, wordsAsWritten } from '@storyreel/shared';
import { describe, expect, it } from 'vitest';

const bare = (...texts: string[]): WordTiming[] => texts.map((text, i) => ({ text, start: i, end: i + 0.5 }));
const texts = (words: WordTiming[]) => words.map((w) => w.text);

describe('wordsAsWritten', () => {
  it('gives words back their punctuation and keeps their timings', () => {
    const words = wordsAsWritten(
      'Hello there, my friend. How are you?',
      bare('Hello', 'there', 'my', 'friend', 'How', 'are', 'you'),
    );
    expect(texts(words)).toEqual(['Hello', 'there,', 'my', 'friend.', 'How', 'are', 'you?']);
    expect(words[3]).toMatchObject({ start: 3, end: 3.5 });
  });

  it('handles quotes, dashes standing alone, split compounds and case', () => {
    const words = wordsAsWritten(
      '“Quoted” text — well-known, e.g. DR. Smith’s!',
      bare('Quoted', 'text', 'well', 'known', 'e.g.', 'dr.', "Smith's"),
    );
    expect(texts(words)).toEqual(['“Quoted”', 'text —', 'well-', 'known,', 'e.g.', 'DR.', "Smith's"]);
  });

  it('attaches CJK punctuation without spaces', () => {
    expect(texts(wordsAsWritten('你好，我的朋友。', bare('你好', '我', '的', '朋友')))).toEqual([
      '你好，',
      '我',
      '的',
      '朋友。',
    ]);
  });

  it('keeps words it cannot find, and never pulls text across them', () => {
    const words = wordsAsWritten('I have 42 apples.', bare('I', 'have', 'forty-two', 'apples'));
    expect(texts(words)).toEqual(['I', 'have', 'forty-two', 'apples.']);
  });
});

describe('wordsAsWritten resynchronising', () => {
  it('does not jump far ahead to a later occurrence of a word', () => {
    const words = wordsAsWritten('Tom ran. Then everybody in the whole village ran too.', bare('Tom', 'ran', 'ran'));
    // The second "ran" is not found after "Then everybody..." without a missing word to account for the gap.
    expect(texts(words)).toEqual(['Tom', 'ran.', 'ran']);
  });
});

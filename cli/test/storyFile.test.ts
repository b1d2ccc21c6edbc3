import { describe, expect, it } from 'vitest';
import { readStoryFile } from '../src/storyFile.js';

describe('a story file', () => {
  it('takes a heading line standing alone as the title, not as the first words of the story', () => {
    const file = "The Lighthouse Keeper's Last Night\n\nOn the edge of a grey sea stood a lighthouse.\nIt was old.\n";
    expect(readStoryFile('/s/keeper.txt', file)).toEqual({
      title: "The Lighthouse Keeper's Last Night",
      story: 'On the edge of a grey sea stood a lighthouse.\nIt was old.',
    });
  });

  it('narrates everything when the first line is a sentence, and names the movie by it', () => {
    const file = 'Once there was a fox.\n\nIt lived by the sea.\n';
    expect(readStoryFile('/s/fox.txt', file)).toEqual({ title: 'Once there was a fox.', story: file });
    const oneLine = 'A fox lived by the sea and watched the boats';
    expect(readStoryFile('/s/fox.txt', oneLine)).toEqual({ title: oneLine, story: oneLine });
  });

  it('falls back to the file name when the first line is empty', () => {
    expect(readStoryFile('/s/fox.txt', '\nA fox.')).toEqual({ title: 'fox', story: '\nA fox.' });
  });
});

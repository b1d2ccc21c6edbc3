import { basename, extname } from 'node:path';

export interface StoryFile {
  title: string;
  story: string;
}

const MAX_TITLE = 120;

/**
 * A story file's title and text. A short first line standing alone (a blank
 * line after it, no closing punctuation) is a heading: it becomes the title
 * and is not narrated as the start of the first sentence. Otherwise the whole
 * file is the story and its first line names it.
 */
export function readStoryFile(path: string, text: string): StoryFile {
  const [first = '', second, ...rest] = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const heading = first.trim();
  if (heading && heading.length <= MAX_TITLE && second?.trim() === '' && !/[.!?…:;,]$/u.test(heading)) {
    const story = rest.join('\n').trim();
    if (story) return { title: heading, story };
  }
  return { title: heading.slice(0, MAX_TITLE) || basename(path, extname(path)), story: text };
}

import type { Cue } from './cueBreaker.js';
import { joinWords } from './lineText.js';
import { srtTimestamp } from './srt.js';

/** `HH:MM:SS.mmm`, the WebVTT timestamp. */
export const vttTimestamp = (seconds: number) => srtTimestamp(seconds, '.');

/** Cue text is HTML-like in WebVTT: `&`, `<` and `>` must be character references. */
const vttLine = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function toVtt(cues: readonly Cue[]): string {
  const body = cues.map((cue, i) => {
    const lines = cue.lines.map((line) => vttLine(joinWords(line)));
    return `${i + 1}\n${vttTimestamp(cue.start)} --> ${vttTimestamp(cue.end)}\n${lines.join('\n')}\n`;
  });
  return ['WEBVTT\n', ...body].join('\n');
}

import type { Cue } from './cueBreaker.js';
import { joinWords } from './lineText.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `HH:MM:SS,mmm`, the SubRip timestamp. */
export function srtTimestamp(seconds: number, separator = ','): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/** SubRip has no escapes: only the arrow that would end the timing line is defused. */
const srtLine = (text: string) => text.replaceAll('-->', '->');

export function toSrt(cues: readonly Cue[]): string {
  return cues
    .map((cue, i) => {
      const lines = cue.lines.map((line) => srtLine(joinWords(line)));
      return `${i + 1}\n${srtTimestamp(cue.start)} --> ${srtTimestamp(cue.end)}\n${lines.join('\n')}\n`;
    })
    .join('\n');
}

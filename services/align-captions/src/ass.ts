import type { WordTiming } from '@storyreel/shared';
import type { CaptionStyle } from './captionStyle.js';
import type { Cue } from './cueBreaker.js';
import { wordSeparator } from './lineText.js';

/** `H:MM:SS.cc`, the ASS timestamp (centiseconds). */
export function assTimestamp(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(cs / 360_000);
  const m = Math.floor((cs % 360_000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}

/**
 * Story text must never act as ASS markup. Braces open override blocks
 * (`{\b1}`), so they become libass's literal `\{` and `\}`; a backslash could
 * start `\N` or `\h` or escape our own braces, so a word joiner (invisible,
 * in DejaVu Sans) follows each one.
 */
export function escapeAssText(text: string): string {
  return text.replaceAll('\\', '\\\u2060').replaceAll('{', '\\{').replaceAll('}', '\\}');
}

/** A style colour (&HAABBGGRR) as an override tag value (&HBBGGRR&). */
const overrideColour = (colour: string) => `&H${colour.slice(-6)}&`;

function cueText(
  lines: readonly WordTiming[][],
  highlighted: WordTiming | undefined,
  highlight: string | null,
): string {
  const wordText = (word: WordTiming) => {
    const text = escapeAssText(word.text);
    return word === highlighted && highlight ? `{\\1c${overrideColour(highlight)}}${text}{\\1c}` : text;
  };
  return lines
    .map((line) =>
      line
        .map((word, i) => (i === 0 ? '' : wordSeparator((line[i - 1] as WordTiming).text, word.text)) + wordText(word))
        .join(''),
    )
    .join('\\N');
}

function dialogue(start: number, end: number, style: string, text: string): string {
  return `Dialogue: 0,${assTimestamp(start)},${assTimestamp(end)},${style},,0,0,0,,${text}`;
}

/**
 * One event per cue; with a highlight colour, one event per spoken word
 * instead: the whole cue, laid out identically, with the current word
 * recoloured from its start until the next word starts. Plain colour
 * overrides render the same in libass and VSFilter.
 */
function cueEvents(cue: Cue, style: CaptionStyle): string[] {
  if (!style.highlight) return [dialogue(cue.start, cue.end, style.name, cueText(cue.lines, undefined, null))];
  const words = cue.lines.flat();
  // Boundaries in whole centiseconds, so consecutive events neither overlap nor leave gaps.
  const bounds = [cue.start, ...words.slice(1).map((w) => w.start), cue.end].map((t) =>
    Math.round(Math.min(Math.max(t, cue.start), cue.end) * 100),
  );
  for (let i = 1; i < bounds.length; i++) bounds[i] = Math.max(bounds[i] as number, bounds[i - 1] as number);
  const events = words.flatMap((word, i) => {
    const from = bounds[i] as number;
    const to = bounds[i + 1] as number;
    return to > from ? [dialogue(from / 100, to / 100, style.name, cueText(cue.lines, word, style.highlight))] : [];
  });
  return events.length ? events : [dialogue(cue.start, cue.end, style.name, cueText(cue.lines, undefined, null))];
}

export function toAss(cues: readonly Cue[], options: { width: number; height: number; style: CaptionStyle }): string {
  const s = options.style;
  const bold = s.bold ? -1 : 0;
  return [
    '[Script Info]',
    '; Captions made by storyreel align-captions',
    'Title: storyreel captions',
    'ScriptType: v4.00+',
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: TV.709',
    `PlayResX: ${options.width}`,
    `PlayResY: ${options.height}`,
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: ${s.name},${s.fontName},${s.fontSize},${s.colour},${s.highlight ?? s.colour},${s.outlineColour},${s.backColour},${bold},0,0,0,100,100,0,0,1,${s.outline},${s.shadow},${s.alignment},${s.marginL},${s.marginR},${s.marginV},1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...cues.flatMap((cue) => cueEvents(cue, s)),
    '',
  ].join('\n');
}

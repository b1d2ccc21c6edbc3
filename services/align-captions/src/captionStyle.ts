import { ASPECTS, type Aspect, type CaptionPosition, type CaptionPreset } from '@storyreel/shared';

export type { Aspect, CaptionPosition, CaptionPreset } from '@storyreel/shared';

/** Everything the ASS writer and the cue breaker need to know about how captions look. */
export interface CaptionStyle {
  name: string;
  fontName: string;
  fontSize: number;
  bold: boolean;
  /** ASS colours (&HAABBGGRR). */
  colour: string;
  /** Colour of the word being spoken; null: no word highlight. */
  highlight: string | null;
  outlineColour: string;
  backColour: string;
  outline: number;
  shadow: number;
  /** ASS numpad alignment: 2 bottom centre, 5 middle centre, 8 top centre. */
  alignment: 2 | 5 | 8;
  marginL: number;
  marginR: number;
  marginV: number;
  /** Characters per line that fit between the margins at this font size. */
  maxLineChars: number;
}

/** DejaVu Sans is installed everywhere we render and covers Latin, Cyrillic and Greek. */
export const CAPTION_FONT = 'DejaVu Sans';

/**
 * Title-safe margins as fractions of the frame. Vertical video loses its
 * bottom fifth and top eighth to the apps' own buttons and captions.
 */
const SAFE_MARGINS: Record<Aspect, { side: number; top: number; bottom: number }> = {
  '16:9': { side: 0.05, top: 0.07, bottom: 0.07 },
  '9:16': { side: 0.08, top: 0.12, bottom: 0.2 },
  '1:1': { side: 0.06, top: 0.08, bottom: 0.08 },
};

const WHITE = '&H00FFFFFF';
const GOLD = '&H0000D7FF';
const BLACK = '&H00000000';
const SHADOW = '&H80000000';

/** Per preset: size as a fraction of the frame's short side, and how it is drawn. */
const PRESETS: Record<
  CaptionPreset,
  {
    name: string;
    size: number;
    bold: boolean;
    highlight: string | null;
    outline: number;
    shadow: number;
    position: CaptionPosition;
  }
> = {
  karaoke: { name: 'Karaoke', size: 0.06, bold: true, highlight: GOLD, outline: 3, shadow: 1, position: 'bottom' },
  clean: { name: 'Clean', size: 0.05, bold: false, highlight: null, outline: 2, shadow: 1, position: 'bottom' },
  'bold-centre': {
    name: 'BoldCentre',
    size: 0.085,
    bold: true,
    highlight: GOLD,
    outline: 4,
    shadow: 0,
    position: 'centre',
  },
};

/** Average advance of a DejaVu Sans character in ems, measured on mixed-case text in libass plus a little room for capitals. */
const CHAR_EM = { regular: 0.55, bold: 0.62 };

const ALIGNMENT: Record<CaptionPosition, 2 | 5 | 8> = { bottom: 2, centre: 5, top: 8 };

/** The aspect preset nearest to a frame size. */
export function aspectOf(width: number, height: number): Aspect {
  const ratio = width / height;
  const target: Record<Aspect, number> = { '16:9': 16 / 9, '9:16': 9 / 16, '1:1': 1 };
  return ASPECTS.reduce((best, a) =>
    Math.abs(Math.log(target[a] / ratio)) < Math.abs(Math.log(target[best] / ratio)) ? a : best,
  );
}

export function captionStyle(options: {
  preset: CaptionPreset;
  position?: CaptionPosition;
  aspect: Aspect;
  width: number;
  height: number;
}): CaptionStyle {
  const preset = PRESETS[options.preset];
  const position = options.position ?? preset.position;
  const margins = SAFE_MARGINS[options.aspect];
  const short = Math.min(options.width, options.height);
  const scale = short / 720;
  const fontSize = Math.round(short * preset.size);
  const side = Math.round(options.width * margins.side);
  const usable = options.width - 2 * side;
  const charWidth = fontSize * (preset.bold ? CHAR_EM.bold : CHAR_EM.regular);
  return {
    name: preset.name,
    fontName: CAPTION_FONT,
    fontSize,
    bold: preset.bold,
    colour: WHITE,
    highlight: preset.highlight,
    outlineColour: BLACK,
    backColour: SHADOW,
    outline: Math.round(preset.outline * scale * 10) / 10,
    shadow: Math.round(preset.shadow * scale * 10) / 10,
    alignment: ALIGNMENT[position],
    marginL: side,
    marginR: side,
    marginV: Math.round(options.height * (position === 'top' ? margins.top : margins.bottom)),
    maxLineChars: Math.max(12, Math.min(42, Math.floor(usable / charWidth))),
  };
}

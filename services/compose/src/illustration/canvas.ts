/**
 * What every drawing function shares: the frame size, a unit that scales
 * shapes with the shorter side (so 9:16 and 16:9 look alike), the `<defs>`
 * collected on the way (gradients, masks) and the style's outline.
 */
export interface Canvas {
  width: number;
  height: number;
  /** One unit is 1 px of a 1080-px-high landscape frame. */
  unit: number;
  defs: string[];
  /** Outline stroke attributes for silhouettes ('' when the style draws none). */
  outline: string;
  nextId(prefix: string): string;
}

export function createCanvas(width: number, height: number, outlineColour: string, outlineWidth: number): Canvas {
  const unit = Math.min(width, height) / 1080;
  let counter = 0;
  return {
    width,
    height,
    unit,
    defs: [],
    outline:
      outlineWidth > 0
        ? ` stroke="${outlineColour}" stroke-width="${fmt(outlineWidth * unit)}" stroke-linejoin="round" stroke-linecap="round"`
        : '',
    nextId: (prefix) => `${prefix}${++counter}`,
  };
}

/** Two decimals at most: SVG text stays small and libvips parses it fast. */
export function fmt(n: number): string {
  return (Math.round(n * 100) / 100).toString();
}

export function points(list: readonly (readonly [number, number])[]): string {
  return list.map(([x, y]) => `${fmt(x)},${fmt(y)}`).join(' ');
}

/** A vertical gradient (top to bottom) added to the defs; returns `url(#id)`. */
export function verticalGradient(
  canvas: Canvas,
  stops: readonly (readonly [offset: number, colour: string, opacity?: number])[],
): string {
  const id = canvas.nextId('lg');
  const body = stops
    .map(
      ([o, c, a]) =>
        `<stop offset="${fmt(o)}" stop-color="${c}"${a === undefined ? '' : ` stop-opacity="${fmt(a)}"`}/>`,
    )
    .join('');
  canvas.defs.push(`<linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1">${body}</linearGradient>`);
  return `url(#${id})`;
}

/** A radial glow: colour at the centre fading to nothing. */
export function radialGlow(canvas: Canvas, colour: string, opacity: number): string {
  const id = canvas.nextId('rg');
  canvas.defs.push(
    `<radialGradient id="${id}"><stop offset="0" stop-color="${colour}" stop-opacity="${fmt(opacity)}"/>` +
      `<stop offset="0.45" stop-color="${colour}" stop-opacity="${fmt(opacity * 0.35)}"/>` +
      `<stop offset="1" stop-color="${colour}" stop-opacity="0"/></radialGradient>`,
  );
  return `url(#${id})`;
}

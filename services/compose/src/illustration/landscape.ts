import type { Random as Rng } from '@storyreel/shared';
import { type Canvas, fmt, points, radialGlow, verticalGradient } from './canvas.js';
import { lighten, mix } from './colour.js';

/**
 * The big shapes of a picture, back to front: sky, lights in it, clouds,
 * land ridges, mountains, water, skyline, weather and the frame's finish.
 */

export function sky(c: Canvas, stops: readonly [string, string, string], horizonY: number): string {
  const fill = verticalGradient(c, [
    [0, stops[0]],
    [(horizonY / c.height) * 0.55, stops[1]],
    [horizonY / c.height, stops[2]],
    [1, stops[2]],
  ]);
  return `<rect width="${c.width}" height="${c.height}" fill="${fill}"/>`;
}

export function stars(c: Canvas, rng: Rng, horizonY: number, colour: string, density: number): string {
  const count = Math.round(((c.width * horizonY) / 9000) * density);
  const dots: string[] = [];
  for (let i = 0; i < count; i++) {
    const y = rng.next() ** 1.4 * horizonY * 0.95;
    dots.push(
      `<circle cx="${fmt(rng.next() * c.width)}" cy="${fmt(y)}" r="${fmt(rng.range(0.6, 2.2) * c.unit)}" fill-opacity="${fmt(rng.range(0.35, 1))}"/>`,
    );
  }
  const sparkles: string[] = [];
  for (let i = 0; i < Math.max(2, Math.round(count / 60)); i++) {
    const x = rng.next() * c.width;
    const y = rng.next() * horizonY * 0.6;
    const s = rng.range(6, 12) * c.unit;
    sparkles.push(
      `<path d="M${fmt(x)} ${fmt(y - s)} L${fmt(x + s * 0.2)} ${fmt(y - s * 0.2)} L${fmt(x + s)} ${fmt(y)} L${fmt(x + s * 0.2)} ${fmt(y + s * 0.2)} L${fmt(x)} ${fmt(y + s)} L${fmt(x - s * 0.2)} ${fmt(y + s * 0.2)} L${fmt(x - s)} ${fmt(y)} L${fmt(x - s * 0.2)} ${fmt(y - s * 0.2)} Z"/>`,
    );
  }
  return `<g fill="${colour}">${dots.join('')}${sparkles.join('')}</g>`;
}

export interface Light {
  x: number;
  y: number;
  r: number;
}

export function sun(c: Canvas, at: Light, colour: string, striped: boolean): string {
  const glow = `<circle cx="${fmt(at.x)}" cy="${fmt(at.y)}" r="${fmt(at.r * 4.5)}" fill="${radialGlow(c, lighten(colour, 0.2), 0.55)}"/>`;
  if (!striped) return `${glow}<circle cx="${fmt(at.x)}" cy="${fmt(at.y)}" r="${fmt(at.r)}" fill="${colour}"/>`;
  // Synthwave sun: bands of the disc with widening gaps. Drawn as shapes, not a mask: librsvg
  // gives every mask a full-frame layer, which costs more than the rest of the picture.
  const fill = verticalGradient(c, [
    [0, lighten(colour, 0.3)],
    [1, mix(colour, '#ff2f7a', 0.7)],
  ]);
  const edges = [-1, ...Array.from({ length: 6 }, (_, i) => 0.1 + i * 0.16)];
  const bands: string[] = [];
  for (let i = 0; i < edges.length; i++) {
    const top = at.y + at.r * (edges[i] as number) + (i === 0 ? 0 : at.r * (0.02 + (i - 1) * 0.018));
    const bottom = i + 1 < edges.length ? at.y + at.r * (edges[i + 1] as number) : at.y + at.r;
    if (bottom > top) bands.push(`<polygon points="${points(discSlice(at, top, bottom))}"/>`);
  }
  return `${glow}<g fill="${fill}">${bands.join('')}</g>`;
}

/** The part of a disc between two heights, as a polygon. */
function discSlice(at: Light, top: number, bottom: number): [number, number][] {
  const steps = 10;
  const half = (y: number) => Math.sqrt(Math.max(0, at.r * at.r - (y - at.y) ** 2));
  const right: [number, number][] = [];
  const left: [number, number][] = [];
  for (let k = 0; k <= steps; k++) {
    const y = top + ((bottom - top) * k) / steps;
    right.push([at.x + half(y), y]);
    left.unshift([at.x - half(y), y]);
  }
  return [...right, ...left];
}

export function moon(c: Canvas, at: Light, colour: string, crescent: boolean): string {
  const glow = `<circle cx="${fmt(at.x)}" cy="${fmt(at.y)}" r="${fmt(at.r * 4)}" fill="${radialGlow(c, colour, 0.35)}"/>`;
  if (crescent) return `${glow}<path d="${crescentPath(at)}" fill="${colour}"/>`;
  const crater = mix(colour, '#8a8a9a', 0.35);
  return (
    `${glow}<circle cx="${fmt(at.x)}" cy="${fmt(at.y)}" r="${fmt(at.r)}" fill="${colour}"/>` +
    `<g fill="${crater}" fill-opacity="0.5"><circle cx="${fmt(at.x - at.r * 0.3)}" cy="${fmt(at.y - at.r * 0.2)}" r="${fmt(at.r * 0.2)}"/>` +
    `<circle cx="${fmt(at.x + at.r * 0.35)}" cy="${fmt(at.y + at.r * 0.25)}" r="${fmt(at.r * 0.14)}"/>` +
    `<circle cx="${fmt(at.x + at.r * 0.05)}" cy="${fmt(at.y + at.r * 0.5)}" r="${fmt(at.r * 0.09)}"/></g>`
  );
}

/**
 * The moon's disc less a slightly smaller disc shifted up and right: the two
 * arcs between the circles' crossing points (a path, so no mask is needed).
 */
function crescentPath(at: Light): string {
  const r1 = at.r;
  const r2 = at.r * 0.9;
  const dx = at.r * 0.45;
  const dy = -at.r * 0.2;
  const d = Math.hypot(dx, dy);
  const a = (r1 * r1 - r2 * r2 + d * d) / (2 * d);
  const h = Math.sqrt(Math.max(0, r1 * r1 - a * a));
  const mx = at.x + (a * dx) / d;
  const my = at.y + (a * dy) / d;
  const p1: [number, number] = [mx + (h * dy) / d, my - (h * dx) / d];
  const p2: [number, number] = [mx - (h * dy) / d, my + (h * dx) / d];
  return (
    `M${fmt(p1[0])} ${fmt(p1[1])} A${fmt(r1)} ${fmt(r1)} 0 1 0 ${fmt(p2[0])} ${fmt(p2[1])}` +
    ` A${fmt(r2)} ${fmt(r2)} 0 0 1 ${fmt(p1[0])} ${fmt(p1[1])} Z`
  );
}

/**
 * Clouds are drawn opaque in a colour already mixed towards the sky behind
 * them: a translucent group would cost librsvg a full-frame layer per cloud.
 */
export function clouds(
  c: Canvas,
  rng: Rng,
  count: number,
  top: number,
  bottom: number,
  colour: string,
  behind: string,
  opacity: number,
): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const cx = rng.range(-0.1, 1.1) * c.width;
    const cy = rng.range(top, bottom);
    const w = rng.range(160, 420) * c.unit;
    const puffs: string[] = [`<ellipse cx="${fmt(cx)}" cy="${fmt(cy)}" rx="${fmt(w / 2)}" ry="${fmt(w * 0.12)}"/>`];
    const n = rng.int(3, 5);
    for (let k = 0; k < n; k++) {
      const px = cx - w * 0.35 + (w * 0.7 * k) / (n - 1);
      const r = w * rng.range(0.12, 0.22);
      puffs.push(`<circle cx="${fmt(px)}" cy="${fmt(cy - r * 0.45)}" r="${fmt(r)}"/>`);
    }
    out.push(`<g fill="${mix(behind, colour, opacity * rng.range(0.75, 1))}">${puffs.join('')}</g>`);
  }
  return out.join('');
}

/** A land layer's top edge: y for any x, and the filled shape below it. */
export interface Ridge {
  svg: string;
  /** The path alone, for a glow drawn under it. */
  d: string;
  yAt(x: number): number;
}

export function ridge(c: Canvas, rng: Rng, baseY: number, amplitude: number, roughness: number, fill: string): Ridge {
  const steps = 40;
  const phases = [rng.range(0, 6.3), rng.range(0, 6.3), rng.range(0, 6.3)];
  const freqs = [rng.range(0.8, 1.6), rng.range(2.2, 3.4), rng.range(5, 8)].map((f) => (f * 2 * Math.PI) / c.width);
  const pts: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const x = (i / steps) * c.width;
    const wave =
      0.55 * Math.sin((freqs[0] as number) * x + (phases[0] as number)) +
      0.3 * Math.sin((freqs[1] as number) * x + (phases[1] as number)) +
      0.15 * Math.sin((freqs[2] as number) * x + (phases[2] as number));
    pts.push([x, baseY - amplitude * wave + amplitude * roughness * rng.range(-0.3, 0.3)]);
  }
  const first = pts[0] as [number, number];
  let d = `M${fmt(-2)} ${fmt(c.height + 2)} L${fmt(-2)} ${fmt(first[1])}`;
  if (roughness > 0.5) {
    for (const [x, y] of pts) d += ` L${fmt(x)} ${fmt(y)}`;
  } else {
    for (let i = 1; i < pts.length; i++) {
      const [x0, y0] = pts[i - 1] as [number, number];
      const [x1, y1] = pts[i] as [number, number];
      d += ` Q${fmt(x0)} ${fmt(y0)} ${fmt((x0 + x1) / 2)} ${fmt((y0 + y1) / 2)}`;
    }
    const last = pts[pts.length - 1] as [number, number];
    d += ` L${fmt(last[0])} ${fmt(last[1])}`;
  }
  d += ` L${fmt(c.width + 2)} ${fmt(c.height + 2)} Z`;
  return { svg: `<path d="${d}" fill="${fill}"${c.outline}/>`, d, yAt: (x) => interpolate(pts, x) };
}

function interpolate(pts: readonly [number, number][], x: number): number {
  const step = (pts[1]?.[0] ?? 1) - (pts[0]?.[0] ?? 0);
  const i = Math.max(0, Math.min(pts.length - 2, Math.floor(x / step)));
  const [x0, y0] = pts[i] as [number, number];
  const [x1, y1] = pts[i + 1] as [number, number];
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0 || 1);
}

/** A mountain range with sharp peaks; snow caps when asked. */
export function mountains(
  c: Canvas,
  rng: Rng,
  baseY: number,
  height: number,
  fill: string,
  snow: string | null,
): string {
  const peaks = rng.int(3, 5);
  const pts: [number, number][] = [[-2, baseY]];
  const caps: string[] = [];
  for (let i = 0; i < peaks; i++) {
    const px = ((i + rng.range(0.25, 0.75)) / peaks) * c.width;
    const py = baseY - height * rng.range(0.55, 1);
    const valleyX = ((i + 1) / peaks) * c.width + rng.range(-0.05, 0.05) * c.width;
    const valleyY = baseY - height * rng.range(0.1, 0.35);
    pts.push([px, py]);
    if (snow) {
      const prev = pts[pts.length - 2] as [number, number];
      const t = 0.22;
      const left: [number, number] = [px + (prev[0] - px) * t, py + (prev[1] - py) * t];
      const right: [number, number] = [px + (valleyX - px) * t, py + (valleyY - py) * t];
      const midY = (left[1] + right[1]) / 2;
      caps.push(
        `<polygon points="${points([
          [px, py],
          right,
          [px + (right[0] - px) * 0.5, midY - (midY - py) * 0.25],
          [px, midY + (midY - py) * 0.1],
          [px + (left[0] - px) * 0.5, midY - (midY - py) * 0.2],
          left,
        ])}"/>`,
      );
    }
    pts.push([valleyX, valleyY]);
  }
  pts.push([c.width + 2, baseY], [c.width + 2, c.height + 2], [-2, c.height + 2]);
  return `<polygon points="${points(pts)}" fill="${fill}"${c.outline}/>${snow ? `<g fill="${snow}">${caps.join('')}</g>` : ''}`;
}

export function dunes(c: Canvas, rng: Rng, baseY: number, fills: readonly string[]): string {
  return fills
    .map((fill, i) => {
      const y = baseY + i * (c.height - baseY) * 0.28;
      const crest = rng.range(0.2, 0.8) * c.width;
      const rise = (40 + 30 * i) * c.unit;
      return `<path d="M-2 ${fmt(c.height + 2)} L-2 ${fmt(y)} Q${fmt(crest * 0.6)} ${fmt(y - rise)} ${fmt(crest)} ${fmt(y - rise * 0.9)} Q${fmt(
        crest + (c.width - crest) * 0.5,
      )} ${fmt(y - rise * 0.6)} ${fmt(c.width + 2)} ${fmt(y + rise * 0.3)} L${fmt(c.width + 2)} ${fmt(c.height + 2)} Z" fill="${fill}"${c.outline}/>`;
    })
    .join('');
}

export function sea(
  c: Canvas,
  rng: Rng,
  horizonY: number,
  water: string,
  skyHorizon: string,
  reflection: Light | null,
  glint: string,
): string {
  const fill = verticalGradient(c, [
    [0, mix(water, skyHorizon, 0.45)],
    [1, mix(water, '#000000', 0.35)],
  ]);
  const parts = [
    `<rect x="0" y="${fmt(horizonY)}" width="${c.width}" height="${fmt(c.height - horizonY)}" fill="${fill}"/>`,
  ];
  if (reflection) {
    const bars: string[] = [];
    for (let y = horizonY + 6 * c.unit; y < c.height; y += 14 * c.unit) {
      const depth = (y - horizonY) / (c.height - horizonY);
      const w = reflection.r * (0.6 + depth * 1.6) * rng.range(0.5, 1.2);
      bars.push(
        `<rect x="${fmt(reflection.x - w / 2 + rng.range(-8, 8) * c.unit)}" y="${fmt(y)}" width="${fmt(w)}" height="${fmt(3 * c.unit)}" rx="${fmt(1.5 * c.unit)}" fill-opacity="${fmt(0.7 - depth * 0.5)}"/>`,
      );
    }
    parts.push(`<g fill="${glint}">${bars.join('')}</g>`);
  }
  const waves: string[] = [];
  for (let i = 0; i < 26; i++) {
    const depth = rng.next();
    const y = horizonY + depth ** 1.5 * (c.height - horizonY);
    const x = rng.next() * c.width;
    const s = (10 + depth * 40) * c.unit;
    waves.push(`M${fmt(x - s)} ${fmt(y)} Q${fmt(x)} ${fmt(y - s * 0.35)} ${fmt(x + s)} ${fmt(y)}`);
  }
  parts.push(
    `<path d="${waves.join(' ')}" fill="none" stroke="${lighten(water, 0.45)}" stroke-width="${fmt(2.5 * c.unit)}" stroke-linecap="round" stroke-opacity="0.6"/>`,
  );
  return parts.join('');
}

export function skyline(
  c: Canvas,
  rng: Rng,
  baseY: number,
  maxHeight: number,
  fill: string,
  windowLight: string | null,
): string {
  const blocks: string[] = [];
  const windows: string[] = [];
  let x = -10 * c.unit;
  while (x < c.width) {
    const w = rng.range(50, 140) * c.unit;
    const h = maxHeight * rng.range(0.35, 1);
    const top = baseY - h;
    blocks.push(`<rect x="${fmt(x)}" y="${fmt(top)}" width="${fmt(w + 1)}" height="${fmt(h + 2)}"/>`);
    if (rng.chance(0.25)) {
      blocks.push(
        `<rect x="${fmt(x + w * 0.45)}" y="${fmt(top - h * 0.15)}" width="${fmt(2.5 * c.unit)}" height="${fmt(h * 0.15)}"/>`,
      );
    }
    if (windowLight) {
      const cell = 16 * c.unit;
      for (let wy = top + cell; wy < baseY - cell && windows.length < 900; wy += cell * 1.6) {
        for (let wx = x + cell * 0.6; wx < x + w - cell; wx += cell * 1.3) {
          if (rng.chance(0.35))
            windows.push(
              `<rect x="${fmt(wx)}" y="${fmt(wy)}" width="${fmt(cell * 0.6)}" height="${fmt(cell * 0.8)}"/>`,
            );
        }
      }
    }
    x += w + rng.range(0, 12) * c.unit;
  }
  return `<g fill="${fill}"${c.outline}>${blocks.join('')}</g>${windowLight ? `<g fill="${windowLight}" fill-opacity="0.9">${windows.join('')}</g>` : ''}`;
}

export function planet(c: Canvas, rng: Rng, colour: string, ring: string): string {
  const r = rng.range(110, 190) * c.unit;
  const x = rng.range(0.15, 0.85) * c.width;
  const y = rng.range(0.15, 0.35) * c.height;
  const fill = verticalGradient(c, [
    [0, lighten(colour, 0.35)],
    [1, mix(colour, '#000000', 0.45)],
  ]);
  const tilt = rng.range(-25, -5);
  const back = `<ellipse cx="${fmt(x)}" cy="${fmt(y)}" rx="${fmt(r * 1.9)}" ry="${fmt(r * 0.42)}" fill="none" stroke="${ring}" stroke-width="${fmt(10 * c.unit)}" stroke-opacity="0.8" transform="rotate(${fmt(tilt)} ${fmt(x)} ${fmt(y)})"/>`;
  const bands: string[] = [];
  for (let i = 0; i < 3; i++) {
    const by = y - r * 0.5 + i * r * 0.45;
    bands.push(`<polygon points="${points(discSlice({ x, y, r }, by - r * 0.07, by + r * 0.07))}"/>`);
  }
  return `${back}<circle cx="${fmt(x)}" cy="${fmt(y)}" r="${fmt(r)}" fill="${fill}"/><g fill="${mix(colour, ring, 0.4)}" fill-opacity="0.5">${bands.join('')}</g>`;
}

export function craters(c: Canvas, rng: Rng, top: number, fill: string): string {
  const out: string[] = [];
  for (let i = 0; i < 14; i++) {
    const depth = rng.next();
    const y = top + depth * (c.height - top);
    const rx = (20 + depth * 90) * c.unit;
    out.push(`<ellipse cx="${fmt(rng.next() * c.width)}" cy="${fmt(y)}" rx="${fmt(rx)}" ry="${fmt(rx * 0.28)}"/>`);
  }
  return `<g fill="${fill}" fill-opacity="0.55">${out.join('')}</g>`;
}

export function rain(c: Canvas, rng: Rng, heavy: boolean): string {
  const count = Math.round(((c.width * c.height) / 9000) * (heavy ? 1.2 : 0.7));
  const slant = rng.range(0.15, 0.35);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const x = rng.range(-0.1, 1) * c.width;
    const y = rng.next() * c.height;
    const len = rng.range(18, 40) * c.unit;
    lines.push(`M${fmt(x)} ${fmt(y)} l${fmt(len * slant)} ${fmt(len)}`);
  }
  return `<path d="${lines.join(' ')}" stroke="#dde6f0" stroke-width="${fmt(1.6 * c.unit)}" stroke-opacity="0.35" stroke-linecap="round"/>`;
}

export function lightning(c: Canvas, rng: Rng, horizonY: number): string {
  let x = rng.range(0.2, 0.8) * c.width;
  let y = 0;
  const pts: [number, number][] = [[x, y]];
  while (y < horizonY * 0.85) {
    y += rng.range(30, 70) * c.unit;
    x += rng.range(-45, 45) * c.unit;
    pts.push([x, y]);
  }
  const line = points(pts);
  return (
    `<rect width="${c.width}" height="${c.height}" fill="#000000" fill-opacity="0.15"/>` +
    `<polyline points="${line}" fill="none" stroke="#ffffff" stroke-width="${fmt(14 * c.unit)}" stroke-opacity="0.2" stroke-linejoin="round"/>` +
    `<polyline points="${line}" fill="none" stroke="#ffffff" stroke-width="${fmt(4 * c.unit)}" stroke-linejoin="round"/>`
  );
}

export function snowfall(c: Canvas, rng: Rng): string {
  const count = Math.round((c.width * c.height) / 7000);
  const flakes: string[] = [];
  for (let i = 0; i < count; i++) {
    flakes.push(
      `<circle cx="${fmt(rng.next() * c.width)}" cy="${fmt(rng.next() * c.height)}" r="${fmt(rng.range(1.5, 4.5) * c.unit)}"/>`,
    );
  }
  return `<g fill="#ffffff" fill-opacity="0.85">${flakes.join('')}</g>`;
}

export function fog(c: Canvas, horizonY: number, colour: string): string {
  const band = verticalGradient(c, [
    [0, colour, 0],
    [0.5, colour, 0.55],
    [1, colour, 0.15],
  ]);
  return (
    `<rect y="${fmt(horizonY - c.height * 0.2)}" width="${c.width}" height="${fmt(c.height * 0.5)}" fill="${band}"/>` +
    `<rect width="${c.width}" height="${c.height}" fill="${colour}" fill-opacity="0.18"/>`
  );
}

/** Synthwave floor: lines to a vanishing point and rungs that crowd towards the horizon. */
export function neonGrid(c: Canvas, horizonY: number, colour: string): string {
  const lines: string[] = [];
  const vx = c.width / 2;
  for (let i = -14; i <= 14; i++) {
    lines.push(`M${fmt(vx + i * c.width * 0.01)} ${fmt(horizonY)} L${fmt(vx + i * c.width * 0.16)} ${fmt(c.height)}`);
  }
  for (let k = 1; k <= 12; k++) {
    const y = horizonY + (c.height - horizonY) * (k / 12) ** 2;
    lines.push(`M0 ${fmt(y)} L${c.width} ${fmt(y)}`);
  }
  const d = lines.join(' ');
  return (
    `<path d="${d}" stroke="${colour}" stroke-width="${fmt(7 * c.unit)}" stroke-opacity="0.18" fill="none"/>` +
    `<path d="${d}" stroke="${colour}" stroke-width="${fmt(2 * c.unit)}" stroke-opacity="0.85" fill="none"/>`
  );
}

export function vignette(c: Canvas, strength: number): string {
  if (strength <= 0) return '';
  const id = c.nextId('vig');
  c.defs.push(
    `<radialGradient id="${id}" cx="0.5" cy="0.5" r="0.75"><stop offset="0.55" stop-color="#000000" stop-opacity="0"/><stop offset="1" stop-color="#000000" stop-opacity="${fmt(strength * 0.85)}"/></radialGradient>`,
  );
  return `<rect width="${c.width}" height="${c.height}" fill="url(#${id})"/>`;
}

export function letterbox(c: Canvas): string {
  if (c.width <= c.height) return '';
  const bar = Math.round(c.height * 0.06);
  return `<rect width="${c.width}" height="${bar}" fill="#000000"/><rect y="${c.height - bar}" width="${c.width}" height="${bar}" fill="#000000"/>`;
}

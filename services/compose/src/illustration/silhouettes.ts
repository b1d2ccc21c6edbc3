import type { Random as Rng } from '@storyreel/shared';
import { type Canvas, fmt, points, radialGlow } from './canvas.js';

/**
 * Simple silhouettes, each standing on a base point: readable at a glance,
 * drawn in the layer's colour so they sit in the landscape's depth.
 * `light` is the colour of lit windows and lamps, or null by day.
 */

export function pineTree(c: Canvas, x: number, baseY: number, h: number, fill: string): string {
  const w = h * 0.42;
  const trunk = h * 0.1;
  const outline: [number, number][] = [
    [x, baseY - h],
    [x + w * 0.22, baseY - h * 0.68],
    [x + w * 0.1, baseY - h * 0.68],
    [x + w * 0.36, baseY - h * 0.38],
    [x + w * 0.18, baseY - h * 0.38],
    [x + w * 0.5, baseY - trunk],
    [x + w * 0.06, baseY - trunk],
    [x + w * 0.06, baseY],
    [x - w * 0.06, baseY],
    [x - w * 0.06, baseY - trunk],
    [x - w * 0.5, baseY - trunk],
    [x - w * 0.18, baseY - h * 0.38],
    [x - w * 0.36, baseY - h * 0.38],
    [x - w * 0.1, baseY - h * 0.68],
    [x - w * 0.22, baseY - h * 0.68],
  ];
  return `<polygon points="${points(outline)}" fill="${fill}"${c.outline}/>`;
}

export function roundTree(c: Canvas, x: number, baseY: number, h: number, fill: string, rng: Rng): string {
  const r = h * 0.3;
  const trunk = `<rect x="${fmt(x - h * 0.05)}" y="${fmt(baseY - h * 0.5)}" width="${fmt(h * 0.1)}" height="${fmt(h * 0.5)}" fill="${fill}"${c.outline}/>`;
  const crown = [
    [0, -h + r, r],
    [-r * 0.7, -h * 0.55, r * 0.8],
    [r * 0.7, -h * 0.58, r * rng.range(0.7, 0.9)],
  ]
    .map(
      ([dx, dy, rr]) =>
        `<circle cx="${fmt(x + (dx as number))}" cy="${fmt(baseY + (dy as number))}" r="${fmt(rr as number)}"/>`,
    )
    .join('');
  return `${trunk}<g fill="${fill}"${c.outline}>${crown}</g>`;
}

export function house(
  c: Canvas,
  x: number,
  baseY: number,
  w: number,
  fill: string,
  roof: string,
  light: string | null,
  rng: Rng,
): string {
  const bodyH = w * rng.range(0.55, 0.75);
  const roofH = w * rng.range(0.35, 0.5);
  const top = baseY - bodyH;
  const parts = [
    `<rect x="${fmt(x - w * 0.3)}" y="${fmt(top - roofH * 0.9)}" width="${fmt(w * 0.1)}" height="${fmt(roofH * 0.7)}" fill="${roof}"${c.outline}/>`,
    `<rect x="${fmt(x - w / 2)}" y="${fmt(top)}" width="${fmt(w)}" height="${fmt(bodyH)}" fill="${fill}"${c.outline}/>`,
    `<polygon points="${points([
      [x - w * 0.6, top + 1],
      [x, top - roofH],
      [x + w * 0.6, top + 1],
    ])}" fill="${roof}"${c.outline}/>`,
  ];
  const win = w * 0.18;
  const windowFill = light ?? roof;
  parts.push(
    `<rect x="${fmt(x - w * 0.32)}" y="${fmt(top + bodyH * 0.25)}" width="${fmt(win)}" height="${fmt(win)}" fill="${windowFill}"/>`,
  );
  parts.push(
    `<rect x="${fmt(x + w * 0.1)}" y="${fmt(baseY - bodyH * 0.6)}" width="${fmt(win)}" height="${fmt(bodyH * 0.6)}" fill="${roof}"/>`,
  );
  if (light)
    parts.unshift(
      `<circle cx="${fmt(x)}" cy="${fmt(top + bodyH * 0.4)}" r="${fmt(w * 0.9)}" fill="${radialGlow(c, light, 0.35)}"/>`,
    );
  return parts.join('');
}

export function castle(
  c: Canvas,
  x: number,
  baseY: number,
  size: number,
  fill: string,
  light: string | null,
  flag: string,
): string {
  const parts: string[] = [];
  const wallW = size;
  const wallH = size * 0.32;
  const merlon = size * 0.05;
  const wallTop = baseY - wallH;
  const battlements = (left: number, width: number, y: number) => {
    const out: string[] = [];
    for (let mx = left; mx < left + width - merlon * 0.5; mx += merlon * 2) {
      out.push(`<rect x="${fmt(mx)}" y="${fmt(y - merlon)}" width="${fmt(merlon)}" height="${fmt(merlon + 1)}"/>`);
    }
    return out.join('');
  };
  const keepW = size * 0.3;
  const keepH = size * 0.62;
  const towers = [
    { cx: x - wallW / 2, w: size * 0.14, h: size * 0.5 },
    { cx: x + wallW / 2, w: size * 0.14, h: size * 0.5 },
    { cx: x + keepW * 0.25, w: size * 0.1, h: size * 0.85 },
  ];
  parts.push(`<g fill="${fill}"${c.outline}>`);
  parts.push(`<rect x="${fmt(x - wallW / 2)}" y="${fmt(wallTop)}" width="${fmt(wallW)}" height="${fmt(wallH)}"/>`);
  parts.push(battlements(x - wallW / 2, wallW, wallTop));
  parts.push(
    `<rect x="${fmt(x - keepW / 2)}" y="${fmt(baseY - keepH)}" width="${fmt(keepW)}" height="${fmt(keepH)}"/>`,
  );
  parts.push(battlements(x - keepW / 2, keepW, baseY - keepH));
  for (const t of towers) {
    const top = baseY - t.h;
    parts.push(`<rect x="${fmt(t.cx - t.w / 2)}" y="${fmt(top)}" width="${fmt(t.w)}" height="${fmt(t.h)}"/>`);
    parts.push(
      `<polygon points="${points([
        [t.cx - t.w * 0.65, top],
        [t.cx, top - t.w * 1.4],
        [t.cx + t.w * 0.65, top],
      ])}"/>`,
    );
  }
  parts.push('</g>');
  const tallest = towers[2] as { cx: number; w: number; h: number };
  const poleTop = baseY - tallest.h - tallest.w * 1.4;
  parts.push(
    `<line x1="${fmt(tallest.cx)}" y1="${fmt(poleTop)}" x2="${fmt(tallest.cx)}" y2="${fmt(poleTop - size * 0.12)}" stroke="${fill}" stroke-width="${fmt(2.5 * c.unit)}"/>`,
    `<polygon points="${points([
      [tallest.cx, poleTop - size * 0.12],
      [tallest.cx + size * 0.09, poleTop - size * 0.095],
      [tallest.cx, poleTop - size * 0.07],
    ])}" fill="${flag}"/>`,
  );
  const windowFill = light ?? '#000000';
  const opacity = light ? 1 : 0.35;
  for (const [wx, wy] of [
    [x - keepW * 0.2, baseY - keepH * 0.7],
    [x + keepW * 0.08, baseY - keepH * 0.7],
    [x - keepW * 0.06, baseY - keepH * 0.45],
    [tallest.cx - tallest.w * 0.15, baseY - tallest.h * 0.8],
  ] as const) {
    parts.push(
      `<rect x="${fmt(wx)}" y="${fmt(wy)}" width="${fmt(size * 0.03)}" height="${fmt(size * 0.055)}" rx="${fmt(size * 0.015)}" fill="${windowFill}" fill-opacity="${opacity}"/>`,
    );
  }
  parts.push(
    `<path d="M${fmt(x - size * 0.05)} ${fmt(baseY)} v${fmt(-size * 0.12)} a${fmt(size * 0.05)} ${fmt(size * 0.05)} 0 0 1 ${fmt(size * 0.1)} 0 v${fmt(size * 0.12)} z" fill="#000000" fill-opacity="0.45"/>`,
  );
  return parts.join('');
}

/** A standing figure in a long coat; `facing` flips the lean. */
export function figure(c: Canvas, x: number, baseY: number, h: number, fill: string, facing: 1 | -1): string {
  const head = h * 0.085;
  const shoulderY = baseY - h * 0.8;
  const hemY = baseY - h * 0.28;
  const lean = facing * h * 0.03;
  const coat: [number, number][] = [
    [x - h * 0.1 + lean, shoulderY],
    [x + h * 0.1 + lean, shoulderY],
    [x + h * 0.16, hemY],
    [x - h * 0.15, hemY],
  ];
  const legW = h * 0.05;
  return (
    `<g fill="${fill}"${c.outline}>` +
    `<rect x="${fmt(x - h * 0.08)}" y="${fmt(hemY - 2)}" width="${fmt(legW)}" height="${fmt(baseY - hemY + 2)}"/>` +
    `<rect x="${fmt(x + h * 0.03)}" y="${fmt(hemY - 2)}" width="${fmt(legW)}" height="${fmt(baseY - hemY + 2)}"/>` +
    `<polygon points="${points(coat)}"/>` +
    `<rect x="${fmt(x - h * 0.035 + lean)}" y="${fmt(shoulderY - head * 0.6)}" width="${fmt(h * 0.07)}" height="${fmt(head)}"/>` +
    `<circle cx="${fmt(x + lean * 1.2)}" cy="${fmt(shoulderY - head * 1.3)}" r="${fmt(head)}"/>` +
    '</g>'
  );
}

export function boat(c: Canvas, x: number, waterY: number, size: number, hull: string, sail: string): string {
  const hullPath = `M${fmt(x - size / 2)} ${fmt(waterY - size * 0.12)} L${fmt(x + size / 2)} ${fmt(waterY - size * 0.12)} L${fmt(
    x + size * 0.36,
  )} ${fmt(waterY + size * 0.04)} L${fmt(x - size * 0.34)} ${fmt(waterY + size * 0.04)} Z`;
  const mastTop = waterY - size * 0.95;
  return (
    `<path d="${hullPath}" fill="${hull}"${c.outline}/>` +
    `<line x1="${fmt(x)}" y1="${fmt(waterY - size * 0.12)}" x2="${fmt(x)}" y2="${fmt(mastTop)}" stroke="${hull}" stroke-width="${fmt(3 * c.unit)}"/>` +
    `<polygon points="${points([
      [x + size * 0.03, mastTop + size * 0.05],
      [x + size * 0.4, waterY - size * 0.2],
      [x + size * 0.03, waterY - size * 0.2],
    ])}" fill="${sail}"${c.outline}/>` +
    `<polygon points="${points([
      [x - size * 0.03, mastTop + size * 0.2],
      [x - size * 0.28, waterY - size * 0.22],
      [x - size * 0.03, waterY - size * 0.22],
    ])}" fill="${sail}" fill-opacity="0.85"${c.outline}/>`
  );
}

export function lighthouse(
  c: Canvas,
  x: number,
  baseY: number,
  h: number,
  body: string,
  stripe: string,
  light: string | null,
): string {
  const bottomW = h * 0.2;
  const topW = h * 0.12;
  const topY = baseY - h * 0.78;
  const at = (t: number) => (bottomW + (topW - bottomW) * t) / 2;
  const parts: string[] = [];
  if (light) {
    const beamId = c.nextId('beam');
    c.defs.push(
      `<linearGradient id="${beamId}" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="${light}" stop-opacity="0.55"/><stop offset="1" stop-color="${light}" stop-opacity="0"/></linearGradient>`,
    );
    const lampY = topY - h * 0.1;
    parts.push(
      `<polygon points="${points([
        [x, lampY - h * 0.02],
        [x + c.width * 0.55, lampY - h * 0.35],
        [x + c.width * 0.55, lampY + h * 0.2],
      ])}" fill="url(#${beamId})"/>`,
      `<circle cx="${fmt(x)}" cy="${fmt(lampY)}" r="${fmt(h * 0.5)}" fill="${radialGlow(c, light, 0.55)}"/>`,
    );
  }
  parts.push(
    `<polygon points="${points([
      [x - bottomW / 2, baseY],
      [x - topW / 2, topY],
      [x + topW / 2, topY],
      [x + bottomW / 2, baseY],
    ])}" fill="${body}"${c.outline}/>`,
  );
  for (const t of [0.2, 0.55]) {
    const y1 = baseY - h * 0.78 * t;
    const y2 = baseY - h * 0.78 * (t + 0.15);
    parts.push(
      `<polygon points="${points([
        [x - at(t), y1],
        [x - at(t + 0.15), y2],
        [x + at(t + 0.15), y2],
        [x + at(t), y1],
      ])}" fill="${stripe}"/>`,
    );
  }
  parts.push(
    `<rect x="${fmt(x - topW * 0.75)}" y="${fmt(topY - h * 0.02)}" width="${fmt(topW * 1.5)}" height="${fmt(h * 0.03)}" fill="${body}"${c.outline}/>`,
    `<rect x="${fmt(x - topW * 0.4)}" y="${fmt(topY - h * 0.15)}" width="${fmt(topW * 0.8)}" height="${fmt(h * 0.13)}" fill="${light ?? stripe}"${c.outline}/>`,
    `<polygon points="${points([
      [x - topW * 0.55, topY - h * 0.15],
      [x, topY - h * 0.24],
      [x + topW * 0.55, topY - h * 0.15],
    ])}" fill="${stripe}"${c.outline}/>`,
  );
  return parts.join('');
}

export function campfire(
  c: Canvas,
  x: number,
  baseY: number,
  size: number,
  flame: string,
  core: string,
  logs: string,
): string {
  const glow = radialGlow(c, flame, 0.6);
  const tongue = (dx: number, hh: number, w: number, fill: string) =>
    `<path d="M${fmt(x + dx - w)} ${fmt(baseY - size * 0.08)} Q${fmt(x + dx - w * 0.9)} ${fmt(baseY - hh * 0.55)} ${fmt(x + dx)} ${fmt(
      baseY - hh,
    )} Q${fmt(x + dx + w * 0.9)} ${fmt(baseY - hh * 0.55)} ${fmt(x + dx + w)} ${fmt(baseY - size * 0.08)} Z" fill="${fill}"/>`;
  return (
    `<circle cx="${fmt(x)}" cy="${fmt(baseY - size * 0.3)}" r="${fmt(size * 3.2)}" fill="${glow}"/>` +
    `<rect x="${fmt(x - size * 0.5)}" y="${fmt(baseY - size * 0.1)}" width="${fmt(size)}" height="${fmt(size * 0.12)}" rx="${fmt(size * 0.05)}" fill="${logs}" transform="rotate(12 ${fmt(x)} ${fmt(baseY)})"/>` +
    `<rect x="${fmt(x - size * 0.5)}" y="${fmt(baseY - size * 0.1)}" width="${fmt(size)}" height="${fmt(size * 0.12)}" rx="${fmt(size * 0.05)}" fill="${logs}" transform="rotate(-12 ${fmt(x)} ${fmt(baseY)})"/>` +
    tongue(0, size * 1.1, size * 0.32, flame) +
    tongue(-size * 0.18, size * 0.7, size * 0.2, flame) +
    tongue(size * 0.2, size * 0.8, size * 0.2, flame) +
    tongue(0, size * 0.6, size * 0.16, core)
  );
}

export function birds(
  c: Canvas,
  rng: Rng,
  count: number,
  left: number,
  top: number,
  width: number,
  height: number,
  ink: string,
): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = rng.range(10, 22) * c.unit;
    const x = left + rng.next() * width;
    const y = top + rng.next() * height;
    out.push(
      `M${fmt(x - s)} ${fmt(y)} Q${fmt(x - s / 2)} ${fmt(y - s * 0.55)} ${fmt(x)} ${fmt(y)} Q${fmt(x + s / 2)} ${fmt(y - s * 0.55)} ${fmt(x + s)} ${fmt(y)}`,
    );
  }
  return `<path d="${out.join(' ')}" fill="none" stroke="${ink}" stroke-width="${fmt(3 * c.unit)}" stroke-linecap="round"/>`;
}

export function flowers(c: Canvas, rng: Rng, count: number, top: number, colours: readonly string[]): string {
  const byColour = new Map<string, string[]>();
  for (let i = 0; i < count; i++) {
    const colour = rng.pick(colours);
    const depth = rng.next();
    const y = top + depth * (c.height - top);
    const r = (3 + depth * 7) * c.unit;
    const list = byColour.get(colour) ?? [];
    list.push(`<circle cx="${fmt(rng.next() * c.width)}" cy="${fmt(y)}" r="${fmt(r)}"/>`);
    byColour.set(colour, list);
  }
  return [...byColour].map(([colour, circles]) => `<g fill="${colour}">${circles.join('')}</g>`).join('');
}

export function tower(
  c: Canvas,
  x: number,
  baseY: number,
  h: number,
  fill: string,
  roof: string,
  light: string | null,
): string {
  const w = h * 0.16;
  return (
    `<rect x="${fmt(x - w / 2)}" y="${fmt(baseY - h)}" width="${fmt(w)}" height="${fmt(h)}" fill="${fill}"${c.outline}/>` +
    `<polygon points="${points([
      [x - w * 0.7, baseY - h],
      [x, baseY - h - w * 1.6],
      [x + w * 0.7, baseY - h],
    ])}" fill="${roof}"${c.outline}/>` +
    `<rect x="${fmt(x - w * 0.15)}" y="${fmt(baseY - h * 0.85)}" width="${fmt(w * 0.3)}" height="${fmt(w * 0.45)}" rx="${fmt(w * 0.15)}" fill="${light ?? roof}"/>`
  );
}

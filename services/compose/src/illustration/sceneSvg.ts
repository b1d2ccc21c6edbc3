import type { Mood, Weather } from '../sceneLexicon.js';
import type { SkyStops, VisualStyle } from '../styles.js';
import { type Canvas, createCanvas, fmt } from './canvas.js';
import { darken, lighten, mix } from './colour.js';
import {
  clouds,
  craters,
  dunes,
  fog,
  type Light,
  letterbox,
  lightning,
  moon,
  mountains,
  neonGrid,
  planet,
  type Ridge,
  rain,
  ridge,
  sea,
  sky,
  skyline,
  snowfall,
  stars,
  sun,
  vignette,
} from './landscape.js';
import type { IllustrationPlan } from './scenePlan.js';
import {
  birds,
  boat,
  campfire,
  castle,
  figure,
  flowers,
  house,
  lighthouse,
  pineTree,
  roundTree,
  tower,
} from './silhouettes.js';

/**
 * One illustration as SVG: the plan says what is in it, the style how it
 * looks. Back to front: sky, lights, clouds, backdrop, water, land layers
 * with what stands on them, the figure, weather, then the frame's finish.
 */

const MOOD_TINT: Partial<Record<Mood, string>> = {
  tense: '#9b2c2c',
  sad: '#4a5a7a',
  mysterious: '#5b3f8a',
  joyful: '#ffcf70',
  romantic: '#ff8fab',
};
/** Buildings are stone and glass, not the green of the land they stand on. */
const CONCRETE = '#6f7480';
const WEATHER_TINT: Record<Weather, [string, number]> = {
  rain: ['#5a606c', 0.45],
  storm: ['#3c404a', 0.55],
  fog: ['#c9cdd2', 0.4],
  snow: ['#e2e8ef', 0.3],
};

function skyStops(style: VisualStyle, plan: IllustrationPlan): [string, string, string] {
  let stops: [string, string, string] = [...(style.palette.sky[plan.time] as SkyStops)];
  const mood = plan.mood ? MOOD_TINT[plan.mood] : undefined;
  if (mood) stops = stops.map((s) => mix(s, mood, 0.14)) as [string, string, string];
  if (plan.weather) {
    const [tint, amount] = WEATHER_TINT[plan.weather];
    stops = stops.map((s) => mix(s, tint, amount)) as [string, string, string];
  }
  return stops;
}

/** Land colour at a depth (0 far .. 1 near): farther layers fade into the horizon sky; night darkens all. */
function landColour(style: VisualStyle, plan: IllustrationPlan, horizon: string, depth: number): string {
  const [far, middle, near] = style.palette.land;
  const base = depth < 0.5 ? mix(far, middle, depth * 2) : mix(middle, near, (depth - 0.5) * 2);
  const hazy = mix(base, horizon, (1 - depth) * 0.4);
  const dark = plan.time === 'night' ? 0.55 : plan.time === 'dusk' ? 0.25 : 0;
  const snowy = plan.weather === 'snow' ? mix(hazy, '#eef2f6', 0.55 - depth * 0.25) : hazy;
  return darken(snowy, dark);
}

export function sceneSvg(plan: IllustrationPlan, style: VisualStyle, width: number, height: number): string {
  const c = createCanvas(width, height, style.palette.ink, style.draw.outline);
  const { rng } = plan;
  const p = style.palette;
  const horizonY = plan.horizon * height;
  const stops = skyStops(style, plan);
  const dark = plan.time === 'night';
  const lit = dark || plan.time === 'dusk' ? p.accent : null;
  const overcast = plan.weather === 'rain' || plan.weather === 'storm' || plan.weather === 'fog';
  const out: string[] = [sky(c, stops, horizonY)];

  if (dark || plan.setting === 'space') out.push(stars(c, rng, horizonY, lighten(p.moon, 0.3), overcast ? 0.3 : 1));
  if (plan.setting === 'space') out.push(planet(c, rng, p.accent, p.moon));

  const celestial = placeCelestial(c, plan, horizonY, overcast);
  if (celestial?.kind === 'moon') out.push(moon(c, celestial.at, p.moon, rng.chance(0.5)));
  if (celestial?.kind === 'sun') out.push(sun(c, celestial.at, p.sun, style.draw.synthwave));

  if (plan.setting !== 'space') {
    const cloudColour = overcast
      ? mix(p.cloud, '#30343c', plan.weather === 'fog' ? 0.1 : 0.55)
      : plan.time === 'day'
        ? p.cloud
        : mix(p.cloud, stops[2], 0.45);
    const count = overcast ? rng.int(8, 12) : rng.int(1, 4);
    out.push(
      clouds(
        c,
        rng,
        count,
        height * 0.04,
        horizonY * (overcast ? 0.45 : 0.6),
        cloudColour,
        stops[1],
        dark ? 0.35 : 0.85,
      ),
    );
  }
  if (plan.props.has('birds'))
    out.push(birds(c, rng, rng.int(3, 7), width * 0.15, height * 0.12, width * 0.6, horizonY * 0.35, p.ink));

  out.push(...backdrop(c, plan, style, horizonY, stops[2], lit));
  const ground = foreground(c, plan, style, horizonY, stops[2], lit, celestial?.at ?? null, out);
  placeCharacters(c, plan, style, ground, out);

  if (plan.weather === 'rain' || plan.weather === 'storm') out.push(rain(c, rng, plan.weather === 'storm'));
  if (plan.weather === 'storm') out.push(lightning(c, rng, horizonY));
  if (plan.weather === 'snow') out.push(snowfall(c, rng));
  if (plan.weather === 'fog') out.push(fog(c, horizonY, lighten(stops[2], 0.4)));
  out.push(vignette(c, style.draw.vignette));
  if (style.draw.letterbox) out.push(letterbox(c));

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><defs>${c.defs.join('')}</defs>${out.join('')}</svg>`;
}

function placeCelestial(
  c: Canvas,
  plan: IllustrationPlan,
  horizonY: number,
  overcast: boolean,
): { kind: 'sun' | 'moon'; at: Light } | null {
  const { rng } = plan;
  const x = rng.range(0.15, 0.85) * c.width;
  if (plan.time === 'night' || plan.props.has('moon')) {
    if (overcast && !plan.props.has('moon')) return null;
    return { kind: 'moon', at: { x, y: rng.range(0.12, 0.28) * c.height, r: rng.range(45, 70) * c.unit } };
  }
  if (overcast && !plan.props.has('sun')) return null;
  if (plan.time === 'day')
    return { kind: 'sun', at: { x, y: rng.range(0.1, 0.25) * c.height, r: rng.range(50, 65) * c.unit } };
  const r = rng.range(80, 110) * c.unit;
  return { kind: 'sun', at: { x, y: horizonY - r * rng.range(0.1, 0.7), r } };
}

/** What stands on the horizon: mountains, a skyline, a castle, far hills. */
function backdrop(
  c: Canvas,
  plan: IllustrationPlan,
  style: VisualStyle,
  horizonY: number,
  horizon: string,
  lit: string | null,
): string[] {
  const { rng } = plan;
  const out: string[] = [];
  const farColour = landColour(style, plan, horizon, 0);
  const has = (s: string) => plan.setting === s || plan.backdrop === s;
  if (has('mountain')) {
    const snow = plan.weather === 'snow' || rng.chance(0.5) ? lighten(style.palette.cloud, 0.2) : null;
    const tall = plan.setting === 'mountain' ? 0.34 : plan.setting === 'sea' ? 0.12 : 0.22;
    out.push(mountains(c, rng, horizonY + c.height * 0.03, c.height * tall, farColour, snow));
  }
  if (has('city')) {
    const tall = plan.setting === 'city' ? 0.4 : 0.2;
    out.push(
      skyline(
        c,
        rng,
        horizonY + c.height * 0.03,
        c.height * tall,
        mix(mix(farColour, CONCRETE, 0.55), horizon, 0.25),
        lit,
      ),
    );
  }
  if (plan.setting === 'desert') {
    const sand = ['#e7c48a', '#d9a962', '#c38c48'].map((s, i) =>
      landColour({ ...style, palette: { ...style.palette, land: [s, s, s] } }, plan, horizon, i / 2),
    );
    out.push(dunes(c, rng, horizonY, sand));
  } else if (plan.setting === 'space') {
    const ground = ridge(
      c,
      rng,
      horizonY + c.height * 0.08,
      c.height * 0.02,
      0.8,
      darken(mix(style.palette.moon, '#6b6b78', 0.6), 0.35),
    );
    out.push(ground.svg, craters(c, rng, horizonY + c.height * 0.1, darken(style.palette.moon, 0.65)));
  } else if (plan.setting !== 'sea') {
    const hills = ridge(
      c,
      rng,
      horizonY + c.height * 0.02,
      c.height * 0.03,
      style.draw.roughness,
      mix(farColour, horizon, 0.2),
    );
    out.push(hills.svg);
  }
  return out;
}

/** Where characters stand: the nearest ground's height, and a spot when the picture has only one (a headland). */
interface Ground {
  yAt(x: number): number;
  standX: number | null;
}

/** Water and land layers in front of the backdrop, with what grows or stands on them. */
function foreground(
  c: Canvas,
  plan: IllustrationPlan,
  style: VisualStyle,
  horizonY: number,
  horizon: string,
  lit: string | null,
  celestial: Light | null,
  out: string[],
): Ground {
  const { rng } = plan;
  const p = style.palette;
  if (plan.setting === 'desert' || plan.setting === 'space') {
    if (style.draw.synthwave) out.push(neonGrid(c, horizonY + c.height * 0.1, p.accent));
    return { yAt: () => c.height * 0.9, standX: null };
  }
  if (plan.setting === 'city') {
    const street = horizonY + c.height * 0.16;
    out.push(skyline(c, rng, street, c.height * 0.32, mix(landColour(style, plan, horizon, 0.8), CONCRETE, 0.45), lit));
    out.push(
      `<rect y="${fmt(street)}" width="${c.width}" height="${fmt(c.height - street)}" fill="${landColour(style, plan, horizon, 1)}"${c.outline}/>`,
    );
    if (style.draw.synthwave) out.push(neonGrid(c, street, p.accent));
    return { yAt: () => street + c.height * 0.12, standX: null };
  }
  const water = plan.setting === 'sea' || plan.setting === 'lake';
  if (water)
    out.push(sea(c, rng, horizonY, p.water, horizon, celestial, lighten(plan.time === 'night' ? p.moon : p.sun, 0.2)));
  else if (style.draw.synthwave) out.push(neonGrid(c, horizonY + c.height * 0.05, p.accent));

  if (plan.setting === 'sea') return shore(c, plan, style, horizonY, horizon, lit, out);

  const layers = Math.max(2, style.draw.layers);
  const top = horizonY + c.height * (plan.setting === 'lake' ? 0.16 : 0.05);
  let nearest: Ridge | null = null;
  // Buildings stand on one middle layer: big enough to read, far enough to leave the front to the story.
  const buildingLayer = layers >= 3 ? 1 : 0;
  for (let i = 0; i < layers; i++) {
    const depth = (i + 1) / layers;
    const baseY = top + (c.height - top) * (0.1 + depth * 0.45);
    const amplitude = c.height * (plan.setting === 'mountain' ? 0.06 : 0.04) * (1 - depth * 0.3);
    const colour = landColour(style, plan, horizon, depth);
    const layer = ridge(c, rng, baseY, amplitude, style.draw.roughness, colour);
    if (style.draw.glow && style.draw.outline > 0) {
      out.push(
        `<path d="${layer.d}" fill="none" stroke="${p.ink}" stroke-width="${fmt(style.draw.outline * 5 * c.unit)}" stroke-opacity="0.25"/>`,
      );
    }
    out.push(layer.svg);
    out.push(
      ...standing(
        c,
        plan,
        style,
        layer,
        { depth, nearest: i === layers - 1, buildings: i === buildingLayer },
        colour,
        lit,
      ),
    );
    nearest = layer;
  }
  if (plan.props.has('flowers') || plan.setting === 'field') {
    const from = nearest ? nearest.yAt(c.width / 2) : c.height * 0.8;
    out.push(
      flowers(c, rng, plan.setting === 'field' ? 140 : 70, from, [p.accent, lighten(p.accent, 0.4), '#ffffff', p.sun]),
    );
  }
  return { yAt: (x) => nearest?.yAt(x) ?? c.height * 0.85, standX: null };
}

/** What stands on one land layer, by setting: trees, houses, a castle, a tower. */
function standing(
  c: Canvas,
  plan: IllustrationPlan,
  style: VisualStyle,
  layer: Ridge,
  { depth, nearest, buildings }: { depth: number; nearest: boolean; buildings: boolean },
  colour: string,
  lit: string | null,
): string[] {
  const { rng } = plan;
  const out: string[] = [];
  const shade = darken(colour, 0.28);
  const scale = (0.35 + depth * 0.9) * c.unit;
  const forest = plan.setting === 'forest' || plan.backdrop === 'forest';
  if (forest) {
    const count = nearest ? 6 : Math.round(34 * (1 - depth * 0.5));
    for (let i = 0; i < count; i++) {
      // Near trees frame the picture at its edges and leave the middle to the story.
      const x = nearest
        ? (rng.chance(0.5) ? rng.range(-0.05, 0.22) : rng.range(0.78, 1.05)) * c.width
        : rng.next() * c.width;
      const h = rng.range(120, 220) * scale * (nearest ? 1.6 : 1);
      out.push(
        rng.chance(0.8)
          ? pineTree(c, x, layer.yAt(x) + 6 * scale, h, shade)
          : roundTree(c, x, layer.yAt(x) + 6 * scale, h * 0.8, shade, rng),
      );
    }
  } else if (
    !nearest &&
    (plan.setting === 'field' || plan.setting === 'village' || plan.setting === 'lake' || plan.setting === 'mountain')
  ) {
    for (let i = 0; i < rng.int(1, 4); i++) {
      const x = rng.next() * c.width;
      const h = rng.range(110, 170) * scale;
      out.push(
        plan.setting === 'mountain'
          ? pineTree(c, x, layer.yAt(x) + 4 * scale, h, shade)
          : roundTree(c, x, layer.yAt(x) + 4 * scale, h, shade, rng),
      );
    }
  }
  if (plan.setting === 'village' && buildings) {
    const houses = rng.int(3, 6);
    const start = rng.range(0.08, 0.3) * c.width;
    for (let i = 0; i < houses; i++) {
      const x = start + i * rng.range(0.1, 0.16) * c.width;
      if (x > c.width * 0.95) break;
      const w = rng.range(90, 130) * scale * 1.4;
      out.push(
        house(
          c,
          x,
          layer.yAt(x) + 8 * scale,
          w,
          lighten(colour, 0.18),
          darken(mix(colour, style.palette.accent, 0.35), 0.35),
          lit,
          rng,
        ),
      );
    }
  }
  if ((plan.setting === 'castle' || plan.backdrop === 'castle') && buildings) {
    const x = (rng.chance(0.5) ? rng.range(0.25, 0.4) : rng.range(0.6, 0.75)) * c.width;
    const size = rng.range(330, 430) * c.unit * (plan.setting === 'castle' ? 1 : 0.7);
    out.push(castle(c, x, layer.yAt(x) + 10 * c.unit, size, darken(colour, 0.2), lit, style.palette.accent));
  }
  if (plan.props.has('tower') && plan.setting !== 'castle' && plan.backdrop !== 'castle' && buildings) {
    const x = rng.range(0.6, 0.85) * c.width;
    out.push(
      tower(
        c,
        x,
        layer.yAt(x) + 6 * c.unit,
        rng.range(260, 340) * c.unit,
        darken(colour, 0.15),
        darken(colour, 0.45),
        lit,
      ),
    );
  }
  return out;
}

/** A sea picture: a headland on one side, with the lighthouse if the words have one, boats on the water. */
function shore(
  c: Canvas,
  plan: IllustrationPlan,
  style: VisualStyle,
  horizonY: number,
  horizon: string,
  lit: string | null,
  out: string[],
): Ground {
  const { rng } = plan;
  const p = style.palette;
  if (plan.props.has('boat') || rng.chance(0.3)) {
    const bx = rng.range(0.45, 0.8) * c.width;
    const by = horizonY + rng.range(0.08, 0.2) * c.height;
    out.push(
      boat(
        c,
        bx,
        by,
        rng.range(110, 170) * c.unit,
        darken(landColour(style, plan, horizon, 1), 0.2),
        lighten(p.cloud, 0.1),
      ),
    );
  }
  const left = rng.chance(0.5);
  const colour = landColour(style, plan, horizon, 1);
  const w = c.width * rng.range(0.32, 0.45);
  const top = horizonY + c.height * rng.range(0.1, 0.16);
  const edgeX = left ? w : c.width - w;
  const d = left
    ? `M-2 ${fmt(c.height + 2)} L-2 ${fmt(top)} Q${fmt(w * 0.6)} ${fmt(top - c.height * 0.03)} ${fmt(w * 0.85)} ${fmt(top + c.height * 0.05)} L${fmt(edgeX)} ${fmt(c.height + 2)} Z`
    : `M${fmt(c.width + 2)} ${fmt(c.height + 2)} L${fmt(c.width + 2)} ${fmt(top)} Q${fmt(c.width - w * 0.6)} ${fmt(top - c.height * 0.03)} ${fmt(
        c.width - w * 0.85,
      )} ${fmt(top + c.height * 0.05)} L${fmt(edgeX)} ${fmt(c.height + 2)} Z`;
  out.push(`<path d="${d}" fill="${colour}"${c.outline}/>`);
  const headlandX = left ? w * 0.35 : c.width - w * 0.35;
  if (plan.props.has('lighthouse')) {
    out.push(
      lighthouse(
        c,
        headlandX,
        top + 4 * c.unit,
        rng.range(330, 420) * c.unit,
        lighten(p.cloud, 0.1),
        p.accent,
        lit ?? (plan.weather === 'storm' ? p.accent : null),
      ),
    );
  }
  // Characters stand on the headland, beside the lighthouse if there is one.
  return { yAt: () => top + c.height * 0.02, standX: left ? w * 0.66 : c.width - w * 0.66 };
}

/** The figure (or two) and the fire the words ask for, on the nearest ground, away from the frame's edge. */
function placeCharacters(c: Canvas, plan: IllustrationPlan, style: VisualStyle, ground: Ground, out: string[]): void {
  const { rng } = plan;
  const p = style.palette;
  // Characters must read against any ground: the style's ink, pushed darker at night.
  const ink = style.draw.grayscale
    ? p.ink
    : plan.time === 'night'
      ? darken(p.ink, 0.4)
      : darken(mix(p.ink, style.palette.land[2], 0.4), 0.3);
  const x = ground.standX ?? rng.range(0.3, 0.7) * c.width;
  const baseY = ground.yAt(x) + 8 * c.unit;
  const h = rng.range(170, 220) * c.unit;
  if (plan.props.has('fire')) {
    out.push(
      campfire(
        c,
        x + (x < c.width / 2 ? 1 : -1) * h * 0.6,
        baseY,
        h * 0.35,
        p.accent,
        lighten(p.sun, 0.4),
        darken(p.ink, 0.1),
      ),
    );
  }
  if (plan.props.has('couple')) {
    out.push(figure(c, x - h * 0.13, baseY, h, ink, 1), figure(c, x + h * 0.13, baseY, h * 0.92, ink, -1));
  } else if (plan.props.has('figure')) {
    out.push(figure(c, x, baseY, h, ink, rng.chance(0.5) ? 1 : -1));
  }
}

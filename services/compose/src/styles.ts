/**
 * Visual styles a project can pick. Each one carries the words a cloud image
 * model is given and the palette and drawing parameters of the offline
 * illustrator, so a storyboard looks like one film whichever draws it.
 */
export const STYLE_IDS = ['storybook', 'watercolor', 'noir', 'neon', 'pastel', 'cinematic'] as const;
export type StyleId = (typeof STYLE_IDS)[number];

export type SkyStops = readonly [top: string, middle: string, horizon: string];

export interface StylePalette {
  sky: { day: SkyStops; dawn: SkyStops; dusk: SkyStops; night: SkyStops };
  sun: string;
  moon: string;
  /** Land from the farthest layer to the nearest. */
  land: readonly [far: string, middle: string, near: string];
  water: string;
  /** Lit windows, flames, flowers, sails: the colour the eye goes to. */
  accent: string;
  /** Silhouettes and outlines. */
  ink: string;
  cloud: string;
}

export interface DrawingParameters {
  /** Outline width at 1080 px; 0 draws no outlines. */
  outline: number;
  /** Strength of the paper or film grain laid over the picture, 0..1. */
  grain: number;
  /** Gaussian blur sigma after rasterising: watercolour bleed. */
  soften: number;
  /** Saturation multiplier applied to the finished picture. */
  saturation: number;
  /** Darkening towards the corners, 0..1. */
  vignette: number;
  /** 0 rolling hills .. 1 jagged ridges. */
  roughness: number;
  /** How many land layers recede to the horizon. */
  layers: number;
  grayscale: boolean;
  /** Lights and outlines get a halo. */
  glow: boolean;
  /** Black bars top and bottom on landscape frames. */
  letterbox: boolean;
  /** Striped sun and a glowing grid on the ground. */
  synthwave: boolean;
}

export interface VisualStyle {
  id: StyleId;
  label: string;
  /** Appended to every scene's image prompt for providers that take text. */
  prompt: string;
  palette: StylePalette;
  draw: DrawingParameters;
}

export const STYLES: Record<StyleId, VisualStyle> = {
  storybook: {
    id: 'storybook',
    label: 'Storybook',
    prompt: "children's storybook illustration, warm gouache colours, soft ink outlines, gentle light, no text",
    palette: {
      sky: {
        day: ['#5b9bd5', '#9cc9ea', '#f4e6c4'],
        dawn: ['#6d7fb8', '#e8a9a0', '#f9d9a6'],
        dusk: ['#3d3a73', '#c4607a', '#f2a65a'],
        night: ['#0e1538', '#1f2d5c', '#3b4a7a'],
      },
      sun: '#ffd25e',
      moon: '#f6f0d2',
      land: ['#8fae8b', '#5e8f5a', '#3e6b3f'],
      water: '#3f7fb0',
      accent: '#f6b73c',
      ink: '#2b2233',
      cloud: '#fff8ec',
    },
    draw: {
      outline: 3,
      grain: 0.35,
      soften: 0,
      saturation: 1.05,
      vignette: 0.35,
      roughness: 0.25,
      layers: 3,
      grayscale: false,
      glow: false,
      letterbox: false,
      synthwave: false,
    },
  },
  watercolor: {
    id: 'watercolor',
    label: 'Watercolour',
    prompt: 'loose watercolour painting, soft washes bleeding into wet paper, muted natural pigments, no text',
    palette: {
      sky: {
        day: ['#8db8d8', '#c3dbe8', '#f1ede0'],
        dawn: ['#a3aecf', '#efc2b3', '#f7e3c6'],
        dusk: ['#6a6b9a', '#d99a9a', '#f0c592'],
        night: ['#27324f', '#3e4d6e', '#5c6b88'],
      },
      sun: '#f7d58b',
      moon: '#f3efe0',
      land: ['#b5c4a8', '#88a77f', '#5f7f5c'],
      water: '#7aa6c2',
      accent: '#d9825b',
      ink: '#4a4a5a',
      cloud: '#fbf8f1',
    },
    draw: {
      outline: 0,
      grain: 0.5,
      soften: 2.2,
      saturation: 0.85,
      vignette: 0.2,
      roughness: 0.2,
      layers: 4,
      grayscale: false,
      glow: false,
      letterbox: false,
      synthwave: false,
    },
  },
  noir: {
    id: 'noir',
    label: 'Noir',
    prompt: 'film noir, black and white, hard shadows, high contrast, rain-slick streets, 1940s cinema still, no text',
    palette: {
      sky: {
        day: ['#5c5c5c', '#8a8a8a', '#b8b8b8'],
        dawn: ['#4a4a4a', '#7d7d7d', '#a8a8a8'],
        dusk: ['#2a2a2a', '#5a5a5a', '#8c8c8c'],
        night: ['#050505', '#151515', '#2e2e2e'],
      },
      sun: '#f2f2f2',
      moon: '#e8e8e8',
      land: ['#3a3a3a', '#232323', '#111111'],
      water: '#2c2c2c',
      accent: '#f5f0dc',
      ink: '#000000',
      cloud: '#9a9a9a',
    },
    draw: {
      outline: 0,
      grain: 0.6,
      soften: 0,
      saturation: 0,
      vignette: 0.7,
      roughness: 0.4,
      layers: 3,
      grayscale: true,
      glow: false,
      letterbox: false,
      synthwave: false,
    },
  },
  neon: {
    id: 'neon',
    label: 'Neon',
    prompt: 'synthwave neon illustration, glowing magenta and cyan lines, dark purple sky, retro-futuristic, no text',
    palette: {
      sky: {
        day: ['#2b1055', '#7b2a8c', '#e8559a'],
        dawn: ['#1d0b3f', '#8a2c7d', '#ff7a59'],
        dusk: ['#140a33', '#5e1a78', '#ff4f8b'],
        night: ['#07041a', '#1a0b3d', '#3d1261'],
      },
      sun: '#ff9e3d',
      moon: '#b8f3ff',
      land: ['#2a0f4d', '#1a0933', '#0d0520'],
      water: '#16224d',
      accent: '#25f4ee',
      ink: '#ff2fb4',
      cloud: '#6b3fa0',
    },
    draw: {
      outline: 3,
      grain: 0.15,
      soften: 0,
      saturation: 1.25,
      vignette: 0.45,
      roughness: 0.6,
      layers: 3,
      grayscale: false,
      glow: true,
      letterbox: false,
      synthwave: true,
    },
  },
  pastel: {
    id: 'pastel',
    label: 'Pastel',
    prompt: 'soft pastel illustration, gentle pinks, mint and lavender, dreamy light, rounded shapes, no text',
    palette: {
      sky: {
        day: ['#a8d8f0', '#d4ecf7', '#fdeef4'],
        dawn: ['#c7c3ec', '#f7cfe0', '#fde8d0'],
        dusk: ['#b3a4d9', '#f2b5c9', '#fcd9b8'],
        night: ['#4b4f84', '#6e6fa8', '#9b94c4'],
      },
      sun: '#fff1a8',
      moon: '#fffbe8',
      land: ['#cfe8d5', '#a8d8c0', '#86c4a8'],
      water: '#9fd3e6',
      accent: '#f7a1c4',
      ink: '#6d5a8a',
      cloud: '#ffffff',
    },
    draw: {
      outline: 2,
      grain: 0.2,
      soften: 0.6,
      saturation: 0.9,
      vignette: 0.1,
      roughness: 0.1,
      layers: 3,
      grayscale: false,
      glow: false,
      letterbox: false,
      synthwave: false,
    },
  },
  cinematic: {
    id: 'cinematic',
    label: 'Cinematic',
    prompt:
      'cinematic film still, anamorphic widescreen, teal and orange grade, volumetric light, shallow depth, no text',
    palette: {
      sky: {
        day: ['#1f5b73', '#5d9cab', '#e7c9a0'],
        dawn: ['#23405a', '#b07a6a', '#f0b47a'],
        dusk: ['#152a3d', '#8c4a3c', '#f08a3c'],
        night: ['#050d17', '#0d2233', '#1d3d4f'],
      },
      sun: '#ffb45c',
      moon: '#d9ecf2',
      land: ['#3d5a63', '#243c44', '#11222a'],
      water: '#1c4a5c',
      accent: '#ff9a3c',
      ink: '#0a1216',
      cloud: '#d8d2c8',
    },
    draw: {
      outline: 0,
      grain: 0.4,
      soften: 0,
      saturation: 1.1,
      vignette: 0.6,
      roughness: 0.45,
      layers: 4,
      grayscale: false,
      glow: true,
      letterbox: true,
      synthwave: false,
    },
  },
};

export function styleOf(id: StyleId): VisualStyle {
  return STYLES[id];
}

/** Every distinct colour of a palette: what a style picker shows as swatches. */
export function swatches(style: VisualStyle): string[] {
  const p = style.palette;
  const all = [
    ...p.sky.day,
    ...p.sky.dusk,
    ...p.sky.night,
    p.sun,
    p.moon,
    ...p.land,
    p.water,
    p.accent,
    p.ink,
    p.cloud,
  ];
  return [...new Set(all)];
}

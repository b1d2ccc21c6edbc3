import { seededRandom } from '@storyreel/shared';
import sharp from 'sharp';
import { planIllustration } from '../illustration/scenePlan.js';
import { sceneSvg } from '../illustration/sceneSvg.js';
import type { ImageProvider, ImageRequest } from '../imageProvider.js';
import { styleOf } from '../styles.js';

/**
 * The offline image provider: a procedural illustration drawn as SVG from
 * the prompt's words and the style's palette, rasterised by sharp (librsvg)
 * and finished with the style's grain, softness and colour. No network, no
 * model; the same prompt, style, size and seed give the same JPEG.
 */
const GRAIN_TILE = 256;

export function createIllustrator(): ImageProvider {
  return {
    id: 'offline-illustrator',
    // Bump when drawing changes: the version is part of every image's content hash.
    version: '1',
    generate: illustrate,
  };
}

async function illustrate(prompt: string, request: ImageRequest): Promise<Buffer> {
  const { width, height, seed } = request;
  const style = styleOf(request.style);
  const plan = planIllustration(prompt, seed, height > width);
  const svg = sceneSvg(plan, style, width, height);

  let image = sharp(Buffer.from(svg), { density: 72 });
  if (style.draw.soften >= 0.3) image = image.blur(style.draw.soften * (Math.min(width, height) / 1080));
  if (style.draw.grayscale) image = image.grayscale().linear(1.25, -24);
  else if (style.draw.saturation !== 1) image = image.recomb(saturationMatrix(style.draw.saturation));
  const { data, info } = await image.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  addGrain(data, info.width, info.height, info.channels, seed, style.draw.grain);
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .jpeg({ quality: 88, chromaSubsampling: '4:2:0', mozjpeg: false })
    .toBuffer();
}

/**
 * Saturation as a colour matrix around Rec. 709 luminance: the same effect as
 * sharp's modulate() for a fifth of the time (modulate goes through LCh).
 */
function saturationMatrix(s: number): [[number, number, number], [number, number, number], [number, number, number]] {
  const luma = [0.2126, 0.7152, 0.0722] as const;
  const row = (i: number) => luma.map((l, j) => (1 - s) * l + (i === j ? s : 0)) as [number, number, number];
  return [row(0), row(1), row(2)];
}

/**
 * Paper or film grain: a seeded noise tile added to every pixel. Done on the
 * raw pixels in one pass; libvips' blend modes work in floating point and
 * cost several times more for the same look.
 */
function addGrain(
  pixels: Buffer,
  width: number,
  height: number,
  channels: number,
  seed: number,
  strength: number,
): void {
  if (strength <= 0) return;
  const rng = seededRandom(seed ^ 0x5bd1e995);
  const spread = 28 * strength;
  const tile = new Int8Array(GRAIN_TILE * GRAIN_TILE);
  for (let i = 0; i < tile.length; i++) tile[i] = Math.round((rng.next() - 0.5) * 2 * spread);
  const clamped = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, pixels.length);
  const mask = GRAIN_TILE - 1;
  for (let y = 0; y < height; y++) {
    const row = (y & mask) * GRAIN_TILE;
    let at = y * width * channels;
    for (let x = 0; x < width; x++) {
      const n = tile[row + (x & mask)] as number;
      for (let ch = 0; ch < channels; ch++) {
        clamped[at] = (clamped[at] as number) + n;
        at++;
      }
    }
  }
}

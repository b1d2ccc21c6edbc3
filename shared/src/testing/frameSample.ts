import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One decoded video frame as 8-bit RGB, row by row. */
export interface Frame {
  width: number;
  height: number;
  rgb: Buffer;
}

export interface PixelBox {
  left: number;
  top: number;
  /** Exclusive. */
  right: number;
  /** Exclusive. */
  bottom: number;
  /** Pixels that passed the test. */
  count: number;
}

/** The frame shown at `seconds` in a movie, decoded by FFmpeg at the movie's own size. */
export async function frameAt(file: string, seconds: number): Promise<Frame> {
  const { stdout: size } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=width,height',
    '-of',
    'csv=p=0',
    file,
  ]);
  const [width, height] = size.trim().split(',').map(Number) as [number, number];
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-ss',
      String(seconds),
      '-i',
      file,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: width * height * 3 + 1024 },
  );
  if (stdout.length !== width * height * 3) throw new Error(`no frame at ${seconds} s in ${file}`);
  return { width, height, rgb: stdout };
}

/** Bright, nearly white pixels (captions, a white test pattern), whatever the encoder did to the edges. */
export const isBright = (r: number, g: number, b: number) => r > 200 && g > 200 && b > 200;

/**
 * The smallest box around the pixels passing `test`, inside `region` (the
 * whole frame by default); null when none does.
 */
export function boxOf(
  frame: Frame,
  test: (r: number, g: number, b: number) => boolean = isBright,
  region: { left: number; top: number; right: number; bottom: number } = {
    left: 0,
    top: 0,
    right: frame.width,
    bottom: frame.height,
  },
): PixelBox | null {
  let box: PixelBox | null = null;
  for (let y = region.top; y < region.bottom; y++) {
    for (let x = region.left; x < region.right; x++) {
      const i = (y * frame.width + x) * 3;
      if (!test(frame.rgb[i] as number, frame.rgb[i + 1] as number, frame.rgb[i + 2] as number)) continue;
      if (!box) box = { left: x, top: y, right: x + 1, bottom: y + 1, count: 0 };
      box.left = Math.min(box.left, x);
      box.right = Math.max(box.right, x + 1);
      box.bottom = y + 1;
      box.count++;
    }
  }
  return box;
}

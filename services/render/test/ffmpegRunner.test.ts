import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@storyreel/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgressReader } from '../src/ffmpegProgress.js';
import { runFfmpeg } from '../src/ffmpegRunner.js';
import { probe } from './probe.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-runner-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tinyClip = (seconds: number, output: string) => [
  '-hide_banner',
  '-nostdin',
  '-loglevel',
  'error',
  '-progress',
  'pipe:1',
  '-nostats',
  '-f',
  'lavfi',
  '-i',
  `testsrc2=s=64x64:r=10:d=${seconds}`,
  '-c:v',
  'libx264',
  '-preset',
  'ultrafast',
  '-f',
  'mp4',
  '-y',
  output,
];

describe('progress reader', () => {
  it('turns out_time_us into a rising percentage of the expected length, across chunk borders', () => {
    const seen: number[] = [];
    const read = createProgressReader(10, (p) => seen.push(p));
    read('frame=1\nout_time_us=N/A\nout_time_us=2500');
    read('000\nprogress=continue\nout_time_us=2000000\nout_time_us=9990000\n');
    read('out_time_us=12000000\nprogress=end\n');
    expect(seen).toEqual([25, 99]);
  });
});

describe('ffmpeg runner', () => {
  it('reports progress and renames the output only once FFmpeg succeeded', async () => {
    const partial = join(dir, 'ok.partial.mp4');
    const final = join(dir, 'ok.mp4');
    const seen: number[] = [];
    await runFfmpeg(tinyClip(3, partial), {
      durationSeconds: 3,
      onProgress: (p) => seen.push(p),
      outputs: [{ partial, final }],
    });
    expect(existsSync(partial)).toBe(false);
    expect((await probe(final)).format.duration).toBe('3.000000');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p, i) => p >= 0 && p <= 99 && (i === 0 || p > (seen[i - 1] ?? 0)))).toBe(true);
  });

  it('fails with a readable internal error and leaves no output when an input is broken', async () => {
    const broken = join(dir, 'broken.png');
    await writeFile(broken, 'not a picture at all');
    const partial = join(dir, 'bad.partial.mp4');
    const final = join(dir, 'bad.mp4');
    const args = [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-progress',
      'pipe:1',
      '-nostats',
      '-i',
      broken,
      '-c:v',
      'libx264',
      '-f',
      'mp4',
      '-y',
      partial,
    ];
    const err = await runFfmpeg(args, {
      durationSeconds: 1,
      outputs: [{ partial, final }],
      inputLabels: ['scenes.0.imagePath (gs://b/broken.png)'],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('internal');
    const message = (err as AppError).message;
    expect(message).toMatch(/^FFmpeg failed \(exit code \d+\): png: Invalid PNG signature/);
    expect(message).toContain('Error while decoding input scenes.0.imagePath (gs://b/broken.png): Invalid data found');
    // Identical lines (that differed only by a pointer) are said once, on one line.
    expect(message.match(/Invalid PNG signature/g)).toHaveLength(1);
    expect(message).not.toContain('\n');
    expect(existsSync(partial)).toBe(false);
    expect(existsSync(final)).toBe(false);
  });

  it('kills FFmpeg when the render is cancelled and removes what it wrote', async () => {
    const partial = join(dir, 'cancel.partial.mp4');
    const controller = new AbortController();
    const args = ['-re', ...tinyClip(30, partial).slice(7)];
    const started = Date.now();
    const run = runFfmpeg(['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], {
      durationSeconds: 30,
      signal: controller.signal,
      outputs: [{ partial, final: join(dir, 'cancel.mp4') }],
    });
    setTimeout(() => controller.abort(), 500);
    await expect(run).rejects.toMatchObject({ code: 'unavailable', message: 'the render was cancelled' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await readdir(dir)).filter((f) => f.startsWith('cancel'))).toEqual([]);
  });

  it('says so when FFmpeg cannot be started', async () => {
    const partial = join(dir, 'none.partial.mp4');
    await expect(
      runFfmpeg(tinyClip(1, partial), { ffmpegPath: join(dir, 'no-such-ffmpeg'), durationSeconds: 1, outputs: [] }),
    ).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/^could not start FFmpeg: .*ENOENT/) });
  });
});

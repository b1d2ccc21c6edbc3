import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError, createProgressReader, runFfmpeg } from '@storyreel/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ffmpeg-run-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function durationOf(file: string): Promise<string> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return stdout.trim();
}

const tinyClip = (seconds: number, output: string) => [
  '-loglevel',
  'error',
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
  output,
];

const SECOND_OF_STEREO_FLOAT = 48_000 * 8;
const rawInput = ['-f', 'f32le', '-ar', '48000', '-ac', '2', '-i', 'pipe:0'];

async function* silence(seconds: number, failAt?: number) {
  for (let s = 0; s < seconds; s++) {
    if (s === failAt) throw new Error('synth broke');
    yield Buffer.alloc(SECOND_OF_STEREO_FLOAT);
  }
}

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

describe('runFfmpeg outputs and progress', () => {
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
    expect(await durationOf(final)).toBe('3.000000');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p, i) => p >= 0 && p <= 99 && (i === 0 || p > (seen[i - 1] ?? 0)))).toBe(true);
  });

  it('fails with a readable internal error naming the input, and leaves no output', async () => {
    const broken = join(dir, 'broken.png');
    await writeFile(broken, 'not a picture at all');
    const partial = join(dir, 'bad.partial.mp4');
    const final = join(dir, 'bad.mp4');
    const args = ['-loglevel', 'error', '-i', broken, '-c:v', 'libx264', '-f', 'mp4', partial];
    const err = await runFfmpeg(args, {
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

  it('kills FFmpeg when cancelled and removes what it wrote', async () => {
    const partial = join(dir, 'cancel.partial.mp4');
    const controller = new AbortController();
    const started = Date.now();
    const runLong = runFfmpeg(['-re', ...tinyClip(30, partial)], {
      durationSeconds: 30,
      signal: controller.signal,
      outputs: [{ partial, final: join(dir, 'cancel.mp4') }],
    });
    setTimeout(() => controller.abort(), 500);
    await expect(runLong).rejects.toMatchObject({ code: 'unavailable', message: 'the FFmpeg run was cancelled' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await readdir(dir)).filter((f) => f.startsWith('cancel'))).toEqual([]);
  });

  it('rejects with the abort reason when it is an AppError', async () => {
    const controller = new AbortController();
    controller.abort(new AppError('unavailable', 'the render was cancelled'));
    await expect(runFfmpeg(['-version'], { signal: controller.signal })).rejects.toMatchObject({
      message: 'the render was cancelled',
    });
  });

  it('kills a run that outlives its timeout, as a deadline', async () => {
    await expect(
      runFfmpeg(['-f', 'lavfi', '-i', 'anullsrc', '-f', 'null', '-'], { timeoutMs: 300 }),
    ).rejects.toMatchObject({ code: 'deadline_exceeded' });
  });

  it('says so when FFmpeg cannot be started, with or without stdin', async () => {
    const missing = join(dir, 'no-such-ffmpeg');
    await expect(runFfmpeg(['-version'], { ffmpegPath: missing })).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/^could not start FFmpeg: .*ENOENT/),
    });
    await expect(
      runFfmpeg([...rawInput, '-f', 'null', '-'], { ffmpegPath: missing, stdin: silence(2) }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/^could not start FFmpeg/) });
  });
});

describe('runFfmpeg stdin', () => {
  it('streams stdin through FFmpeg and returns its report', async () => {
    const report = await runFfmpeg([...rawInput, '-af', 'volumedetect', '-f', 'null', '-'], { stdin: silence(3) });
    expect(report).toMatch(/n_samples: 288000/);
  });

  it('fails when the input stream fails, even though FFmpeg would finish on the shortened input', async () => {
    await expect(runFfmpeg([...rawInput, '-f', 'null', '-'], { stdin: silence(5, 2) })).rejects.toThrow('synth broke');
  });

  it('accepts FFmpeg closing its input early once it has what it asked for', async () => {
    const report = await runFfmpeg([...rawInput, '-af', 'atrim=end=1,volumedetect', '-f', 'null', '-'], {
      stdin: silence(120),
    });
    expect(report).toMatch(/n_samples: 96000/);
  });

  it("rejects with FFmpeg's own error", async () => {
    await expect(
      runFfmpeg([...rawInput, '-af', 'nosuchfilter', '-f', 'null', '-'], { stdin: silence(2) }),
    ).rejects.toThrow(/^FFmpeg failed \(exit code \d+\):.*nosuchfilter/);
  });
});

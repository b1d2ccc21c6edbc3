import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { probe } from '@storyreel/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalInputs } from '../src/graphBuilder.js';
import { RenderManifest } from '../src/manifest.js';
import { renderMovieFiles } from '../src/movieRender.js';
import { KARAOKE_ASS, makeStill, makeTone } from './testMedia.js';

const run = promisify(execFile);
const media = 'gs://storyreel-media/users/alice/projects/p1';

let dir: string;
let inputs: LocalInputs;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-segmented-test-'));
  const sources = ['testsrc2', 'testsrc', 'mandelbrot', 'smptebars', 'rgbtestsrc'];
  const images = await Promise.all(sources.map((s, i) => makeStill(join(dir, `${i}.png`), 480 + i * 40, 300, s)));
  const beeps = await Promise.all([0, 2, 4].map((i) => makeTone(join(dir, `beep${i}.wav`), 0.3, 440 + i * 110)));
  await writeFile(join(dir, 'captions.ass'), KARAOKE_ASS);
  inputs = {
    images,
    narration: { kind: 'per-scene', files: [beeps[0] as string, null, beeps[1] as string, null, beeps[2] as string] },
    music: await makeTone(join(dir, 'music.wav'), 1.5, 110),
    captions: join(dir, 'captions.ass'),
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Five short scenes over every kind of boundary: fades, a cut, a wipe; motion in every scene. */
const manifest = RenderManifest.parse({
  version: 1,
  aspect: '1:1',
  quality: 'draft',
  outputPrefix: `${media}/renders`,
  outputs: { poster: true, sceneThumbnails: true },
  scenes: [
    {
      imagePath: `${media}/0.png`,
      durationSeconds: 1,
      motion: 'zoom-in',
      transition: { type: 'fade', durationSeconds: 0.4 },
    },
    { imagePath: `${media}/1.png`, durationSeconds: 0.8, motion: 'pan-left', fit: 'blur', transition: { type: 'cut' } },
    {
      imagePath: `${media}/2.png`,
      durationSeconds: 1,
      motion: 'zoom-out',
      transition: { type: 'wipe', durationSeconds: 0.3 },
    },
    {
      imagePath: `${media}/3.png`,
      durationSeconds: 0.7,
      motion: 'pan-right',
      transition: { type: 'fade', durationSeconds: 0.5 },
    },
    { imagePath: `${media}/4.png`, durationSeconds: 1, motion: 'none' },
  ],
  narration: { kind: 'per-scene', paths: [0, 1, 2, 3, 4].map((i) => `${media}/n${i}.wav`) },
  music: { path: `${media}/music.wav` },
  captions: { assPath: `${media}/captions.ass` },
});

async function render(name: string, maxScenes: number) {
  const workDir = await mkdtemp(join(dir, `${name}-work-`));
  const files = { video: join(dir, `${name}.mp4`), poster: join(dir, `${name}.jpg`), sceneThumbnails: join(dir, name) };
  const progress: number[] = [];
  const movie = await renderMovieFiles(manifest, inputs, files, {
    workDir,
    segments: { maxScenes },
    onProgress: (p) => progress.push(p),
  });
  expect(await readdir(workDir)).toEqual([]);
  return { ...files, movie, progress };
}

/** Per-frame PSNR (dB) of b against a; Infinity for identical frames. */
async function framePsnr(a: string, b: string): Promise<number[]> {
  const { stdout } = await run('ffmpeg', [
    ...['-hide_banner', '-nostats', '-i', a, '-i', b],
    ...['-lavfi', '[0:v][1:v]psnr=stats_file=-', '-f', 'null', '-'],
  ]);
  return [...stdout.matchAll(/psnr_avg:(\S+)/g)].map((m) => (m[1] === 'inf' ? Infinity : Number(m[1])));
}

async function decodedAudioHash(file: string): Promise<string> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:a', '-f', 'md5', '-']);
  return stdout.trim();
}

describe('a movie rendered in segments', () => {
  it('is the same movie as one rendered by a single process, frame for frame', async () => {
    const single = await render('single', 50);
    const split = await render('split', 2);
    expect(single.movie.segmentCount).toBe(1);
    expect(split.movie.segmentCount).toBe(3);

    const [a, b] = await Promise.all([probe(single.video), probe(split.video)]);
    const streams = (p: typeof a) =>
      p.streams.map((s) => [s.codec_type, s.codec_name, s.profile, s.width, s.height, s.pix_fmt, s.sample_rate]);
    expect(streams(b)).toEqual(streams(a));
    const frames = (p: typeof a) => Number(p.streams.find((s) => s.codec_type === 'video')?.nb_frames);
    expect(frames(b)).toBe(split.movie.timeline.totalFrames);
    expect(frames(a)).toBe(frames(b));
    expect(Math.abs(Number(b.format.duration) - Number(a.format.duration))).toBeLessThan(1 / 30);

    // Every frame shows the same picture: a scene starting a frame early or late, a zoom restarted at a
    // segment start or a caption off its time would each drop a frame's PSNR far below the encoder's noise.
    const psnr = await framePsnr(single.video, split.video);
    expect(psnr).toHaveLength(frames(a));
    expect(Math.min(...psnr)).toBeGreaterThan(28);

    // The soundtrack, mixed once apart from the pictures, is the very same sound, in sync with them.
    expect(await decodedAudioHash(split.video)).toBe(await decodedAudioHash(single.video));

    expect((await probe(split.poster)).streams[0]).toMatchObject({ width: 720, height: 720 });
    expect(await readdir(split.sceneThumbnails)).toEqual([0, 1, 2, 3, 4].map((i) => `scene-00${i}.jpg`));
    const thumb = await probe(join(split.sceneThumbnails, 'scene-003.jpg'));
    expect(thumb.streams[0]).toMatchObject({ width: 320, height: 320 });
    expect(split.progress.at(-1)).toBeLessThanOrEqual(99);
    expect(split.progress).toEqual([...split.progress].sort((x, y) => x - y));
  });
});

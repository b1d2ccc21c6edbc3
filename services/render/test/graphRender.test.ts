import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runFfmpeg } from '@storyreel/shared';
import { probe, soundOnsets } from '@storyreel/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../src/graphBuilder.js';
import { moveLongGraphToScript } from '../src/graphScript.js';
import { RenderManifest } from '../src/manifest.js';
import { makeStill, makeTone } from './testMedia.js';

const run = promisify(execFile);
const media = 'gs://storyreel-media/users/alice/projects/p1';

let dir: string;
let stills: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-graph-test-'));
  stills = await Promise.all([
    makeStill(join(dir, 'wide.png'), 640, 360),
    makeStill(join(dir, 'tall.png'), 300, 600, 'testsrc'),
    makeStill(join(dir, 'square.png'), 400, 400, 'mandelbrot'),
  ]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Three scenes of 1.5 s with 0.5 s fades: scenes start at 0, 2 and 4 s, the movie lasts 5.5 s. */
function manifest(narration: unknown) {
  return RenderManifest.parse({
    version: 1,
    quality: 'draft',
    outputPrefix: `${media}/renders`,
    outputs: { poster: false },
    scenes: [
      { imagePath: `${media}/0.png`, durationSeconds: 1.5, motion: 'zoom-in' },
      { imagePath: `${media}/1.png`, durationSeconds: 1.5, motion: 'pan-right', fit: 'blur' },
      { imagePath: `${media}/2.png`, durationSeconds: 1.5, motion: 'zoom-out' },
    ],
    narration,
  });
}

async function render(
  m: RenderManifest,
  narration: NonNullable<Parameters<typeof buildGraph>[1]['narration']>,
  name: string,
) {
  const partial = join(dir, `${name}.partial.mp4`);
  const final = join(dir, `${name}.mp4`);
  const graph = buildGraph(m, { images: stills, narration }, { video: partial });
  await runFfmpeg(graph.args, { durationSeconds: graph.timeline.durationSeconds, outputs: [{ partial, final }] });
  return { file: final, graph };
}

describe('graph builder output, run through FFmpeg', () => {
  it('starts every scene narration when its scene is fully on screen, after the fade', async () => {
    const beeps = await Promise.all([0, 1, 2].map((i) => makeTone(join(dir, `beep${i}.wav`), 0.4, 440 + i * 110)));
    const m = manifest({ kind: 'per-scene', paths: [0, 1, 2].map((i) => `${media}/n${i}.wav`) });
    const { file, graph } = await render(m, { kind: 'per-scene', files: beeps }, 'per-scene');
    expect(graph.timeline.scenes.map((s) => s.startSeconds)).toEqual([0, 2, 4]);
    const onsets = await soundOnsets(file);
    expect(onsets).toHaveLength(2);
    expect(Math.abs((onsets[0] ?? 0) - 2)).toBeLessThan(0.05);
    expect(Math.abs((onsets[1] ?? 0) - 4)).toBeLessThan(0.05);
    const video = (await probe(file)).streams.find((s) => s.codec_type === 'video');
    expect(Number(video?.nb_frames)).toBe(graph.timeline.totalFrames);
  });

  it('cuts a combined track at the scene offsets and places each piece at its scene', async () => {
    // One track with speech (a tone) at 0, 0.9 and 1.7 s: as a TTS engine would return it, without transition gaps.
    const track = join(dir, 'track.wav');
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'aevalsrc=if(lt(t\\,0.4)+between(t\\,0.9\\,1.3)+between(t\\,1.7\\,2.1)\\,sin(2*PI*500*t)\\,0):s=48000:d=2.6',
      track,
    ]);
    const m = manifest({ kind: 'track', path: `${media}/all.wav`, sceneOffsetsSeconds: [0, 0.9, 1.7] });
    const { file } = await render(m, { kind: 'track', file: track }, 'track');
    const onsets = await soundOnsets(file);
    expect(onsets).toHaveLength(2);
    expect(Math.abs((onsets[0] ?? 0) - 2)).toBeLessThan(0.05);
    expect(Math.abs((onsets[1] ?? 0) - 4)).toBeLessThan(0.05);
    expect(Number((await probe(file)).format.duration)).toBeCloseTo(5.5, 1);
  });

  it('runs a graph moved to a script file the same as an inline one', async () => {
    const m = manifest(undefined);
    const partial = join(dir, 'script.partial.mp4');
    const final = join(dir, 'script.mp4');
    const graph = buildGraph(m, { images: stills }, { video: partial });
    expect(await moveLongGraphToScript(graph.args, dir)).toEqual(graph.args);
    const args = await moveLongGraphToScript(graph.args, dir, 100);
    expect(args).not.toContain('-filter_complex');
    expect(args[args.indexOf('-filter_complex_script') + 1]).toBe(join(dir, 'graph.txt'));
    await runFfmpeg(args, { durationSeconds: graph.timeline.durationSeconds, outputs: [{ partial, final }] });
    const video = (await probe(final)).streams.find((s) => s.codec_type === 'video');
    expect(Number(video?.nb_frames)).toBe(graph.timeline.totalFrames);
  });
});

import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from '@storyreel/shared';
import { createTestService, probe, type TestService, topLevelAtoms } from '@storyreel/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GIF } from '../src/extrasBuilder.js';
import { buildGraph } from '../src/graphBuilder.js';
import { type Aspect, RenderManifest } from '../src/manifest.js';
import { type RenderResult, renderMovie } from '../src/renderMovie.js';
import { renderRoutes } from '../src/routes.js';
import { storyManifest, uploadStory } from './renderFixture.js';
import { makeStill } from './testMedia.js';

/**
 * Every export of one render, read back with ffprobe: the MP4, the GIF
 * preview, the HLS master playlist and its renditions. The story's scenes
 * are stretched to 13 s so HLS cuts more than one segment per rendition.
 */

let svc: TestService;
let work: string;
let result: RenderResult;
let outDir: string;

/** A 13 s movie over ~2 s of sound, so nothing here depends on narration. */
const SCENE_SECONDS = [4.5, 4, 4];

beforeAll(async () => {
  svc = await createTestService({ name: 'render', routes: renderRoutes });
  await uploadStory(svc.ctx.blobs);
  work = await mkdtemp(join(tmpdir(), 'render-exports-test-'));
  const story = storyManifest();
  const manifest = RenderManifest.parse({
    ...story,
    outputPrefix: `${story.outputPrefix}/exports`,
    scenes: story.scenes.map((s, i) => ({ ...s, durationSeconds: SCENE_SECONDS[i] })),
    outputs: { poster: true, gif: true, hls: true, thumbnails: false, sceneThumbnails: true },
  });
  result = await renderMovie(manifest, { blobs: svc.ctx.blobs, tempRoot: work });
  outDir = result.videoPath.replace(/\/movie\.mp4$/, '');
  // Every stored object of the render, laid out locally as a player would fetch it.
  for (const blob of await svc.ctx.blobs.list(outDir)) {
    const local = join(work, 'out', blob.path.slice(outDir.length + 1));
    await mkdir(local.slice(0, local.lastIndexOf('/')), { recursive: true });
    await svc.ctx.blobs.getToFile(blob.path, local);
  }
});
afterAll(async () => {
  await svc.close();
  await rm(work, { recursive: true, force: true });
});

const local = (name: string) => join(work, 'out', name);
const video = (p: Awaited<ReturnType<typeof probe>>) => p.streams.find((s) => s.codec_type === 'video');
const audio = (p: Awaited<ReturnType<typeof probe>>) => p.streams.find((s) => s.codec_type === 'audio');

describe('exports, checked with ffprobe', () => {
  it('MP4: H.264 High 1280x720 at 30 fps, AAC 48 kHz stereo, moov first, as long as the timeline', async () => {
    const probed = await probe(local('movie.mp4'));
    expect(video(probed)).toMatchObject({
      codec_name: 'h264',
      profile: 'High',
      pix_fmt: 'yuv420p',
      width: 1280,
      height: 720,
      r_frame_rate: '30/1',
    });
    expect(Number(video(probed)?.nb_frames)).toBe(Math.round(result.durationSeconds * 30));
    expect(audio(probed)).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    expect(Number(probed.format.duration)).toBeCloseTo(result.durationSeconds, 1);
    // 12.5 s of scenes and two 0.4 s transitions between them.
    expect(result.durationSeconds).toBeCloseTo(13.3, 5);
    const atoms = await topLevelAtoms(local('movie.mp4'));
    expect(atoms.indexOf('moov')).toBeLessThan(atoms.indexOf('mdat'));
  });

  it('GIF: a small palette preview of the first seconds, 480 px on the long side at 12 fps', async () => {
    const probed = await probe(local('preview.gif'));
    expect(video(probed)).toMatchObject({ codec_name: 'gif', width: 480, height: 270, r_frame_rate: `${GIF.fps}/1` });
    expect(Number(video(probed)?.nb_frames)).toBe(GIF.seconds * GIF.fps);
    // Small enough to unfurl in a chat: 1.4 MB here, for test pictures busier than any illustration.
    expect((await stat(local('preview.gif'))).size).toBeLessThan(2 * 1024 * 1024);
  });

  it('HLS: a valid master playlist over two renditions, each decodable and as long as the movie', async () => {
    const master = (await svc.ctx.blobs.get(result.hlsPath as string)).toString();
    const lines = master.trim().split('\n');
    expect(lines[0]).toBe('#EXTM3U');
    const variants = lines.flatMap((line, i) =>
      line.startsWith('#EXT-X-STREAM-INF:') ? [{ info: line, uri: lines[i + 1] as string }] : [],
    );
    expect(variants.map((v) => v.uri)).toEqual(['stream-0.m3u8', 'stream-1.m3u8']);
    const sizes: string[] = [];
    for (const { info, uri } of variants) {
      expect(info).toMatch(/BANDWIDTH=\d+/);
      const resolution = /RESOLUTION=(\d+)x(\d+)/.exec(info);
      expect(resolution).not.toBeNull();
      const [width, height] = [Number(resolution?.[1]), Number(resolution?.[2])];
      sizes.push(`${width}x${height}`);

      const playlist = (await svc.ctx.blobs.get(`${outDir}/hls/${uri}`)).toString();
      const durations = [...playlist.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]));
      const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(playlist)?.[1]);
      expect(playlist.startsWith('#EXTM3U')).toBe(true);
      expect(playlist).toContain('#EXT-X-ENDLIST');
      expect(durations.length).toBeGreaterThanOrEqual(2);
      // Every segment within the advertised target (RFC 8216 4.3.3.1), together the whole movie.
      for (const d of durations) expect(Math.round(d)).toBeLessThanOrEqual(target);
      expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(result.durationSeconds, 0);

      // The rendition as a player reads it: through its playlist, segment after segment.
      const probed = await probe(local(`hls/${uri}`));
      expect(video(probed)).toMatchObject({ codec_name: 'h264', width, height });
      expect(audio(probed)).toMatchObject({ codec_name: 'aac' });
      expect(Number(probed.format.duration)).toBeCloseTo(result.durationSeconds, 0);
    }
    expect(sizes).toEqual(['1280x720', '640x360']);
  });

  it('poster and scene thumbnails: one JPEG at the movie size, one per scene', async () => {
    expect(video(await probe(local('poster.jpg')))).toMatchObject({ codec_name: 'mjpeg', width: 1280, height: 720 });
    expect(result.sceneThumbnailPaths).toHaveLength(3);
    for (const path of result.sceneThumbnailPaths ?? []) {
      expect(video(await probe(local(path.slice(outDir.length + 1))))).toMatchObject({ codec_name: 'mjpeg' });
    }
  });
});

describe('aspect presets at 1080p', () => {
  let still: string;
  beforeAll(async () => {
    still = await makeStill(join(work, 'still.png'), 640, 480);
  });

  it.each([
    ['16:9', 1920, 1080],
    ['9:16', 1080, 1920],
    ['1:1', 1080, 1080],
  ] as const)('renders %s at %ix%i', async (aspect: Aspect, width, height) => {
    const manifest = RenderManifest.parse({
      version: 1,
      aspect,
      resolution: '1080p',
      quality: 'draft',
      outputPrefix: 'gs://storyreel-media/users/alice/projects/p1/renders',
      outputs: { poster: false },
      scenes: [{ imagePath: 'gs://storyreel-media/users/alice/projects/p1/s.png', durationSeconds: 0.5 }],
    });
    const name = `aspect-${width}x${height}`;
    const partial = join(work, `${name}.partial.mp4`);
    const final = join(work, `${name}.mp4`);
    const graph = buildGraph(manifest, { images: [still] }, { video: partial });
    await runFfmpeg(graph.args, { outputs: [{ partial, final }] });
    const probed = await probe(final);
    expect(video(probed)).toMatchObject({
      codec_name: 'h264',
      width,
      height,
      r_frame_rate: '30/1',
      pix_fmt: 'yuv420p',
    });
    expect(Number(video(probed)?.nb_frames)).toBe(15);
  });
});

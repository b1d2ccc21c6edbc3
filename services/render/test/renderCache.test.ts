import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestService, probe, type TestService } from '@storyreel/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RenderManifest } from '../src/manifest.js';
import { renderMovie } from '../src/renderMovie.js';
import { renderRoutes } from '../src/routes.js';
import { storyManifest, uploadStory } from './renderFixture.js';

let svc: TestService;
let work: string;
let tempRoot: string;

beforeAll(async () => {
  svc = await createTestService({ name: 'render', routes: renderRoutes });
  await uploadStory(svc.ctx.blobs);
  work = await mkdtemp(join(tmpdir(), 'render-cache-test-'));
  tempRoot = await mkdtemp(join(tmpdir(), 'render-cache-temp-'));
});
afterAll(async () => {
  await svc.close();
  await rm(work, { recursive: true, force: true });
  await rm(tempRoot, { recursive: true, force: true });
});

async function download(gsPath: string, name: string): Promise<string> {
  const file = join(work, name);
  await svc.ctx.blobs.getToFile(gsPath, file);
  return file;
}

describe('renderMovie cache and isolation', () => {
  const tiny = (overrides: Record<string, unknown> = {}) => {
    const story = storyManifest();
    return RenderManifest.parse({
      ...story,
      outputPrefix: `${story.outputPrefix}/tiny`,
      scenes: story.scenes.slice(0, 2).map((s) => ({ ...s, durationSeconds: 1 })),
      narration: undefined,
      ...overrides,
    });
  };

  it('returns the stored result of an identical manifest without running FFmpeg', async () => {
    const manifest = tiny();
    const first = await renderMovie(manifest, { blobs: svc.ctx.blobs, tempRoot });
    const noFfmpeg = { blobs: svc.ctx.blobs, tempRoot, ffmpegPath: join(work, 'no-such-ffmpeg') };
    const second = await renderMovie(RenderManifest.parse(JSON.parse(JSON.stringify(manifest))), noFfmpeg);
    expect(second).toEqual({ ...first, cached: true });
    // Another manifest really needs FFmpeg, which proves the one above never ran it.
    await expect(renderMovie(tiny({ fps: 25 }), noFfmpeg)).rejects.toMatchObject({ code: 'internal' });
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('renders again when an input was overwritten in place', async () => {
    const manifest = tiny({ outputPrefix: `${storyManifest().outputPrefix}/overwritten` });
    const first = await renderMovie(manifest, { blobs: svc.ctx.blobs, tempRoot });
    const image = manifest.scenes[0]?.imagePath as string;
    await svc.ctx.blobs.put(image, await svc.ctx.blobs.get(manifest.scenes[1]?.imagePath as string));
    const second = await renderMovie(manifest, { blobs: svc.ctx.blobs, tempRoot });
    expect(second.cached).toBe(false);
    expect(second.renderKey).not.toBe(first.renderKey);
    await uploadStory(svc.ctx.blobs);
  });

  it('runs concurrent renders side by side without sharing files', async () => {
    const [a, b] = await Promise.all([
      renderMovie(tiny({ aspect: '1:1', outputPrefix: `${storyManifest().outputPrefix}/a` }), {
        blobs: svc.ctx.blobs,
        tempRoot,
      }),
      renderMovie(tiny({ aspect: '9:16', outputPrefix: `${storyManifest().outputPrefix}/b` }), {
        blobs: svc.ctx.blobs,
        tempRoot,
      }),
    ]);
    const [movieA, movieB] = await Promise.all([download(a.videoPath, 'a.mp4'), download(b.videoPath, 'b.mp4')]);
    expect((await probe(movieA)).streams[0]).toMatchObject({ width: 720, height: 720 });
    expect((await probe(movieB)).streams[0]).toMatchObject({ width: 720, height: 1280 });
    expect(await readdir(tempRoot)).toEqual([]);
  });
});

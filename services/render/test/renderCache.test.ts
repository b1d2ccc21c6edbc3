import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { probe } from '@storyreel/shared/testing';
import { describe, expect, it } from 'vitest';
import { RenderManifest } from '../src/manifest.js';
import { renderMovie } from '../src/renderMovie.js';
import { storyManifest, uploadStory } from './renderFixture.js';
import { renderTestBed, tinyManifest } from './renderTestBed.js';

const bed = renderTestBed('render-cache');

describe('renderMovie cache and isolation', () => {
  it('returns the stored result of an identical manifest without running FFmpeg', async () => {
    const manifest = tinyManifest();
    const first = await renderMovie(manifest, { blobs: bed.svc.ctx.blobs, tempRoot: bed.tempRoot });
    const noFfmpeg = { blobs: bed.svc.ctx.blobs, tempRoot: bed.tempRoot, ffmpegPath: join(bed.work, 'no-such-ffmpeg') };
    const second = await renderMovie(RenderManifest.parse(JSON.parse(JSON.stringify(manifest))), noFfmpeg);
    expect(second).toEqual({ ...first, cached: true });
    // Another manifest really needs FFmpeg, which proves the one above never ran it.
    await expect(renderMovie(tinyManifest({ fps: 25 }), noFfmpeg)).rejects.toMatchObject({ code: 'internal' });
    expect(await readdir(bed.tempRoot)).toEqual([]);
  });

  it('renders again when an input was overwritten in place', async () => {
    const manifest = tinyManifest({ outputPrefix: `${storyManifest().outputPrefix}/overwritten` });
    const first = await renderMovie(manifest, { blobs: bed.svc.ctx.blobs, tempRoot: bed.tempRoot });
    const image = manifest.scenes[0]?.imagePath as string;
    await bed.svc.ctx.blobs.put(image, await bed.svc.ctx.blobs.get(manifest.scenes[1]?.imagePath as string));
    const second = await renderMovie(manifest, { blobs: bed.svc.ctx.blobs, tempRoot: bed.tempRoot });
    expect(second.cached).toBe(false);
    expect(second.renderKey).not.toBe(first.renderKey);
    await uploadStory(bed.svc.ctx.blobs);
  });

  it('runs concurrent renders side by side without sharing files', async () => {
    const [a, b] = await Promise.all([
      renderMovie(tinyManifest({ aspect: '1:1', outputPrefix: `${storyManifest().outputPrefix}/a` }), {
        blobs: bed.svc.ctx.blobs,
        tempRoot: bed.tempRoot,
      }),
      renderMovie(tinyManifest({ aspect: '9:16', outputPrefix: `${storyManifest().outputPrefix}/b` }), {
        blobs: bed.svc.ctx.blobs,
        tempRoot: bed.tempRoot,
      }),
    ]);
    const [movieA, movieB] = await Promise.all([
      bed.download(a.videoPath, 'a.mp4'),
      bed.download(b.videoPath, 'b.mp4'),
    ]);
    expect((await probe(movieA)).streams[0]).toMatchObject({ width: 720, height: 720 });
    expect((await probe(movieB)).streams[0]).toMatchObject({ width: 720, height: 1280 });
    expect(await readdir(bed.tempRoot)).toEqual([]);
  });
});

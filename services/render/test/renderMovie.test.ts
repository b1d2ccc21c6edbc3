import { readdir } from 'node:fs/promises';
import { integratedLoudness, probe, topLevelAtoms } from '@storyreel/shared/testing';
import { describe, expect, it } from 'vitest';
import { RenderManifest } from '../src/manifest.js';
import { type RenderProgress, renderMovie } from '../src/renderMovie.js';
import { storyManifest } from './renderFixture.js';
import { renderTestBed } from './renderTestBed.js';

const bed = renderTestBed('render-movie');

describe('renderMovie', () => {
  it.each([
    ['16:9', 1280, 720],
    ['9:16', 720, 1280],
    ['1:1', 720, 720],
  ] as const)('renders a %s story to a finished 720p movie with a poster', async (aspect, width, height) => {
    const manifest = RenderManifest.parse(storyManifest({ aspect, quality: aspect === '16:9' ? 'standard' : 'draft' }));
    const progress: RenderProgress[] = [];
    const result = await renderMovie(
      manifest,
      { blobs: bed.svc.ctx.blobs, tempRoot: bed.tempRoot },
      { onProgress: (p) => progress.push(p) },
    );

    expect(result).toMatchObject({
      width,
      height,
      durationSeconds: 6,
      cached: false,
      sceneStartsSeconds: [0, 2.4, 4.4],
    });
    expect(result.videoPath).toBe(`${manifest.outputPrefix}/${result.renderKey}/movie.mp4`);
    expect((await bed.svc.ctx.blobs.stat(result.videoPath))?.contentType).toBe('video/mp4');

    const movie = await bed.download(result.videoPath, `${width}x${height}.mp4`);
    const { streams, format } = await probe(movie);
    const video = streams.find((s) => s.codec_type === 'video');
    const audio = streams.find((s) => s.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', profile: 'High', pix_fmt: 'yuv420p', width, height });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2, channel_layout: 'stereo' });
    expect(Math.abs(Number(format.duration) - 6) / 6).toBeLessThan(0.05);

    const atoms = await topLevelAtoms(movie);
    expect(atoms.indexOf('moov')).toBeGreaterThan(-1);
    expect(atoms.indexOf('moov')).toBeLessThan(atoms.indexOf('mdat'));
    expect(Math.abs((await integratedLoudness(movie)) + 14)).toBeLessThanOrEqual(1.5);

    const poster = await bed.download(result.posterPath as string, `${width}x${height}.jpg`);
    expect((await probe(poster)).streams[0]).toMatchObject({ codec_name: 'mjpeg', width, height });

    expect(progress.at(-1)).toEqual({ stage: 'done', percent: 100 });
    expect(progress.some((p) => p.stage === 'rendering' && p.percent > 5 && p.percent < 92)).toBe(true);
    expect(progress.map((p) => p.percent)).toEqual([...progress.map((p) => p.percent)].sort((a, b) => a - b));
    // Each render worked in its own folder and cleaned it.
    expect(await readdir(bed.tempRoot)).toEqual([]);
  });
});

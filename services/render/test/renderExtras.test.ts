import { probe } from '@storyreel/shared/testing';
import { describe, expect, it } from 'vitest';
import { renderMovie } from '../src/renderMovie.js';
import { renderTestBed, tinyManifest } from './renderTestBed.js';

const bed = renderTestBed('render-extras');

describe('renderMovie extras', () => {
  it('makes the GIF preview, HLS and seek thumbnails when asked', async () => {
    const result = await renderMovie(
      tinyManifest({ outputs: { poster: false, gif: true, hls: true, thumbnails: true } }),
      {
        blobs: bed.svc.ctx.blobs,
        tempRoot: bed.tempRoot,
      },
    );
    expect(result.posterPath).toBeUndefined();
    const dir = result.videoPath.replace(/\/movie\.mp4$/, '');
    const stored = (await bed.svc.ctx.blobs.list(dir)).map((b) => [b.path.slice(dir.length + 1), b.contentType]);
    expect(stored).toEqual([
      ['hls/index.m3u8', 'application/vnd.apple.mpegurl'],
      ['hls/stream-0-000.ts', 'video/mp2t'],
      ['hls/stream-0.m3u8', 'application/vnd.apple.mpegurl'],
      ['hls/stream-1-000.ts', 'video/mp2t'],
      ['hls/stream-1.m3u8', 'application/vnd.apple.mpegurl'],
      ['movie.mp4', 'video/mp4'],
      ['preview.gif', 'image/gif'],
      ['render.json', 'application/json'],
      ['thumbnails.jpg', 'image/jpeg'],
      ['thumbnails.vtt', 'text/vtt'],
    ]);
    const gif = await probe(await bed.download(result.gifPath as string, 'preview.gif'));
    expect(gif.streams[0]).toMatchObject({ codec_name: 'gif', width: 480, height: 270 });
    const sprite = await probe(await bed.download(result.thumbnailsPath as string, 'thumbnails.jpg'));
    // 2.4 s, one tile every 2 s: two tiles of 160x90 side by side.
    expect(sprite.streams[0]).toMatchObject({ width: 320, height: 90 });
    // A master playlist naming two renditions, each a finished VOD playlist of its own segments.
    const master = (await bed.svc.ctx.blobs.get(result.hlsPath as string)).toString();
    expect(master.match(/#EXT-X-STREAM-INF:[^\n]*RESOLUTION=\d+x\d+/g)).toHaveLength(2);
    expect(master).toContain('stream-0.m3u8');
    expect(master).toContain('stream-1.m3u8');
    for (const rendition of ['stream-0', 'stream-1']) {
      const playlist = (await bed.svc.ctx.blobs.get(`${dir}/hls/${rendition}.m3u8`)).toString();
      expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(playlist).toContain(`${rendition}-000.ts`);
      expect(playlist).toContain('#EXT-X-ENDLIST');
    }
  });
});

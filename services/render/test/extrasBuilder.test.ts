import { describe, expect, it } from 'vitest';
import { buildExtras, fitLongSide } from '../src/extrasBuilder.js';

const video = { video: '/w/movie.mp4', durationSeconds: 25, size: { width: 1280, height: 720 } };

describe('extras builder', () => {
  it('makes nothing, and runs nothing, when no extra is wanted', () => {
    expect(buildExtras(video)).toBeNull();
  });

  it('makes a palette GIF of the first seconds at 480 px on the long side', () => {
    const command = buildExtras({ ...video, size: { width: 720, height: 1280 }, gif: '/w/p.gif' });
    const graph = command?.args[command.args.indexOf('-filter_complex') + 1];
    expect(graph).toBe(
      '[0:v]trim=end=6,fps=12,scale=270:480:flags=lanczos,split=2[gifa][gifb];' +
        '[gifa]palettegen=stats_mode=diff[gifpalette];[gifb][gifpalette]paletteuse=dither=bayer:bayer_scale=4[gif]',
    );
    expect(command?.args.slice(-8)).toEqual(['-map', '[gif]', '-loop', '0', '-f', 'gif', '-y', '/w/p.gif']);
  });

  it('tiles one frame every 2 s and maps each stretch of the movie to its tile in WebVTT', () => {
    const command = buildExtras({ ...video, thumbnails: '/w/t.jpg' });
    expect(command?.args).toContain('[0:v]fps=1/2,scale=160:90,tile=10x2[thumbnails]');
    const cues = command?.thumbnailsVtt?.split('\n\n') ?? [];
    expect(cues[0]).toBe('WEBVTT');
    expect(cues).toHaveLength(1 + 13);
    expect(cues[1]).toBe('00:00:00.000 --> 00:00:02.000\nthumbnails.jpg#xywh=0,0,160,90');
    expect(cues[11]).toBe('00:00:20.000 --> 00:00:22.000\nthumbnails.jpg#xywh=0,90,160,90');
    expect(cues[13]).toBe('00:00:24.000 --> 00:00:25.000\nthumbnails.jpg#xywh=320,90,160,90\n');
  });

  it('copies the streams into HLS without encoding again, escaping % in the segment pattern', () => {
    const command = buildExtras({ ...video, hlsDir: '/tmp/50%/hls' });
    expect(command?.args).not.toContain('-filter_complex');
    expect(command?.args.slice(-16)).toEqual([
      '-map',
      '0:v',
      '-map',
      '0:a',
      '-c',
      'copy',
      '-f',
      'hls',
      '-hls_time',
      '6',
      '-hls_playlist_type',
      'vod',
      '-hls_segment_filename',
      '/tmp/50%%/hls/segment-%03d.ts',
      '-y',
      '/tmp/50%/hls/index.m3u8',
    ]);
  });

  it('keeps both sides even when fitting the long side', () => {
    expect(fitLongSide({ width: 1080, height: 1080 }, 160)).toEqual({ width: 160, height: 160 });
    expect(fitLongSide({ width: 1280, height: 720 }, 480)).toEqual({ width: 480, height: 270 });
    expect(fitLongSide({ width: 1000, height: 333 }, 160)).toEqual({ width: 160, height: 54 });
  });
});

import { describe, expect, it } from 'vitest';
import { buildExtras, hlsRenditions } from '../src/extrasBuilder.js';
import { fitLongSide } from '../src/outputSize.js';

const video = { video: '/w/movie.mp4', durationSeconds: 25, size: { width: 1280, height: 720 }, fps: 30 };

/** The value that follows a flag, for flags given once. */
function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

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
    expect(command?.args.slice(-7)).toEqual(['-map', '[gif]', '-loop', '0', '-f', 'gif', '/w/p.gif']);
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

  it('writes HLS as a master playlist over the movie copied and smaller renditions, escaping % in patterns', () => {
    const command = buildExtras({ ...video, hlsDir: '/tmp/50%/hls' });
    const args = command?.args ?? [];
    expect(args[args.indexOf('-filter_complex') + 1]).toBe('[0:v]scale=640:360:flags=bicubic[hls1]');
    expect(args.slice(args.indexOf('-map'), args.indexOf('-map') + 8)).toEqual([
      '-map',
      '0:v',
      '-map',
      '0:a',
      '-map',
      '[hls1]',
      '-map',
      '0:a',
    ]);
    expect(flag(args, '-c:v:0')).toBe('copy');
    expect(flag(args, '-c:v:1')).toBe('libx264');
    expect(flag(args, '-maxrate:v:1')).toBe('900k');
    expect(flag(args, '-force_key_frames:v:1')).toBe('expr:gte(n,n_forced*180)');
    expect(flag(args, '-c:a')).toBe('copy');
    expect(flag(args, '-hls_time')).toBe('6');
    expect(flag(args, '-hls_segment_filename')).toBe('/tmp/50%%/hls/stream-%v-%03d.ts');
    expect(flag(args, '-master_pl_name')).toBe('index.m3u8');
    expect(flag(args, '-var_stream_map')).toBe('v:0,a:0 v:1,a:1');
    expect(args.at(-1)).toBe('/tmp/50%%/hls/stream-%v.m3u8');
  });

  it('offers 2 renditions of a 720p movie and 3 of a 1080p one, never larger than the movie', () => {
    expect(hlsRenditions({ width: 720, height: 1280 })).toEqual([
      { width: 720, height: 1280, copy: true },
      { width: 360, height: 640, copy: false, maxrate: '900k' },
    ]);
    expect(hlsRenditions({ width: 1920, height: 1080 }).map((r) => `${r.width}x${r.height}`)).toEqual([
      '1920x1080',
      '1280x720',
      '640x360',
    ]);
  });

  it('keeps both sides even when fitting the long side', () => {
    expect(fitLongSide({ width: 1080, height: 1080 }, 160)).toEqual({ width: 160, height: 160 });
    expect(fitLongSide({ width: 1280, height: 720 }, 480)).toEqual({ width: 480, height: 270 });
    expect(fitLongSide({ width: 1000, height: 333 }, 160)).toEqual({ width: 160, height: 54 });
  });
});

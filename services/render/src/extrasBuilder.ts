import type { FrameSize } from './outputSize.js';

/** The optional outputs made from the finished MP4 in a second, cheap FFmpeg run. */
export interface ExtrasRequest {
  video: string;
  durationSeconds: number;
  size: FrameSize;
  /** Local output paths; only those given are made. */
  gif?: string;
  thumbnails?: string;
  /** A directory that gets `index.m3u8` and its segments. */
  hlsDir?: string;
}

export interface ExtrasCommand {
  args: string[];
  /** WebVTT that maps each stretch of the movie to its tile of the sprite sheet. */
  thumbnailsVtt?: string;
}

export const GIF = { seconds: 6, fps: 12, longSide: 480 };
export const THUMBNAILS = { everySeconds: 2, longSide: 160, columns: 10 };
export const HLS_SEGMENT_SECONDS = 6;

/** Scales a frame so its long side is `longSide`, keeping both sides even (H.264 and tile need it). */
export function fitLongSide(size: FrameSize, longSide: number): FrameSize {
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  return size.width >= size.height
    ? { width: longSide, height: even((size.height * longSide) / size.width) }
    : { width: even((size.width * longSide) / size.height), height: longSide };
}

export function buildExtras(request: ExtrasRequest): ExtrasCommand | null {
  const chains: string[] = [];
  const outputArgs: string[] = [];
  let thumbnailsVtt: string | undefined;
  if (request.gif) {
    const { width, height } = fitLongSide(request.size, GIF.longSide);
    // A palette made from these very frames: the default web palette bands gradients badly.
    chains.push(
      `[0:v]trim=end=${GIF.seconds},fps=${GIF.fps},scale=${width}:${height}:flags=lanczos,split=2[gifa][gifb]`,
      '[gifa]palettegen=stats_mode=diff[gifpalette]',
      '[gifb][gifpalette]paletteuse=dither=bayer:bayer_scale=4[gif]',
    );
    outputArgs.push('-map', '[gif]', '-loop', '0', '-f', 'gif', '-y', request.gif);
  }
  if (request.thumbnails) {
    const tile = fitLongSide(request.size, THUMBNAILS.longSide);
    const count = Math.max(1, Math.ceil(request.durationSeconds / THUMBNAILS.everySeconds));
    const columns = Math.min(THUMBNAILS.columns, count);
    const rows = Math.ceil(count / columns);
    chains.push(
      `[0:v]fps=1/${THUMBNAILS.everySeconds},scale=${tile.width}:${tile.height},tile=${columns}x${rows}[thumbnails]`,
    );
    outputArgs.push(
      '-map',
      '[thumbnails]',
      '-frames:v',
      '1',
      '-q:v',
      '4',
      '-f',
      'image2',
      '-update',
      '1',
      '-y',
      request.thumbnails,
    );
    thumbnailsVtt = thumbnailsWebVtt(count, columns, tile, request.durationSeconds);
  }
  if (request.hlsDir) {
    // The segment name is a printf pattern: a literal % in the temp path must be doubled.
    const segments = `${request.hlsDir.replace(/%/g, '%%')}/segment-%03d.ts`;
    outputArgs.push(
      '-map',
      '0:v',
      '-map',
      '0:a',
      '-c',
      'copy',
      '-f',
      'hls',
      '-hls_time',
      String(HLS_SEGMENT_SECONDS),
      '-hls_playlist_type',
      'vod',
      '-hls_segment_filename',
      segments,
      '-y',
      `${request.hlsDir}/index.m3u8`,
    );
  }
  if (outputArgs.length === 0) return null;
  return {
    args: [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-progress',
      'pipe:1',
      '-nostats',
      '-i',
      request.video,
      ...(chains.length ? ['-filter_complex', chains.join(';')] : []),
      ...outputArgs,
    ],
    ...(thumbnailsVtt ? { thumbnailsVtt } : {}),
  };
}

function thumbnailsWebVtt(count: number, columns: number, tile: FrameSize, durationSeconds: number): string {
  const stamp = (s: number) => {
    const ms = Math.round(s * 1000);
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor((ms % 3_600_000) / 60_000);
    const sec = (ms % 60_000) / 1000;
    return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${sec.toFixed(3).padStart(6, '0')}`;
  };
  const cues = Array.from({ length: count }, (_, i) => {
    const start = i * THUMBNAILS.everySeconds;
    const end = Math.min(start + THUMBNAILS.everySeconds, durationSeconds);
    const x = (i % columns) * tile.width;
    const y = Math.floor(i / columns) * tile.height;
    return `${stamp(start)} --> ${stamp(end)}\nthumbnails.jpg#xywh=${x},${y},${tile.width},${tile.height}`;
  });
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

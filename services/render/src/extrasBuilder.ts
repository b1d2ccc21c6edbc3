import { ENCODER_SETTINGS, KEYFRAME_INTERVAL_SECONDS } from './encoderSettings.js';
import { type FrameSize, fitLongSide } from './outputSize.js';

/** The optional outputs made from the finished MP4 in a second, cheap FFmpeg run. */
export interface ExtrasRequest {
  video: string;
  durationSeconds: number;
  size: FrameSize;
  fps: number;
  /** Local output paths; only those given are made. */
  gif?: string;
  thumbnails?: string;
  /** A directory that gets the master playlist `index.m3u8`, one playlist per rendition and their segments. */
  hlsDir?: string;
}

export interface ExtrasCommand {
  args: string[];
  /** WebVTT that maps each stretch of the movie to its tile of the sprite sheet. */
  thumbnailsVtt?: string;
}

export const GIF = { seconds: 6, fps: 12, longSide: 480 };
export const THUMBNAILS = { everySeconds: 2, longSide: 160, columns: 10 };
/** Segments end on the keyframes the movie's encoder forced (encoderSettings.ts), in every rendition alike. */
export const HLS_SEGMENT_SECONDS = KEYFRAME_INTERVAL_SECONDS;

/** Smaller renditions under the movie's own (stream copy), by short side, with their bitrate caps. */
const HLS_LADDER = [
  { shortSide: 720, maxrate: '2800k' },
  { shortSide: 360, maxrate: '900k' },
];

export interface HlsRendition {
  width: number;
  height: number;
  /** The movie's own stream, copied; the others are encoded from it. */
  copy: boolean;
  maxrate?: string;
}

/** The movie as it is, then each smaller rung of the ladder: 720p → 720 + 360, 1080p → 1080 + 720 + 360. */
export function hlsRenditions(size: FrameSize): HlsRendition[] {
  const short = Math.min(size.width, size.height);
  const smaller = HLS_LADDER.filter((rung) => rung.shortSide < short).map((rung) => {
    const scale = rung.shortSide / short;
    const even = (n: number) => Math.round((n * scale) / 2) * 2;
    return { width: even(size.width), height: even(size.height), copy: false, maxrate: rung.maxrate };
  });
  return [{ ...size, copy: true }, ...smaller];
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
    outputArgs.push('-map', '[gif]', '-loop', '0', '-f', 'gif', request.gif);
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
      request.thumbnails,
    );
    thumbnailsVtt = thumbnailsWebVtt(count, columns, tile, request.durationSeconds);
  }
  if (request.hlsDir) {
    const renditions = hlsRenditions(request.size);
    const maps: string[] = [];
    const codecs: string[] = [];
    renditions.forEach((rendition, i) => {
      if (rendition.copy) {
        maps.push('-map', '0:v');
        codecs.push(`-c:v:${i}`, 'copy');
      } else {
        chains.push(`[0:v]scale=${rendition.width}:${rendition.height}:flags=bicubic[hls${i}]`);
        maps.push('-map', `[hls${i}]`);
        codecs.push(...renditionEncoder(i, rendition, request.fps));
      }
      maps.push('-map', '0:a');
    });
    const streamMap = renditions.map((_, i) => `v:${i},a:${i}`).join(' ');
    // Segment and playlist names are printf patterns: a literal % in the temp path must be doubled.
    const dir = request.hlsDir.replace(/%/g, '%%');
    outputArgs.push(
      ...maps,
      ...codecs,
      '-c:a',
      'copy',
      '-f',
      'hls',
      '-hls_time',
      String(HLS_SEGMENT_SECONDS),
      '-hls_playlist_type',
      'vod',
      '-hls_segment_filename',
      `${dir}/stream-%v-%03d.ts`,
      '-master_pl_name',
      'index.m3u8',
      '-var_stream_map',
      streamMap,
      `${dir}/stream-%v.m3u8`,
    );
  }
  if (outputArgs.length === 0) return null;
  return {
    args: [
      '-loglevel',
      'error',
      '-i',
      request.video,
      ...(chains.length ? ['-filter_complex', chains.join(';')] : []),
      ...outputArgs,
    ],
    ...(thumbnailsVtt ? { thumbnailsVtt } : {}),
  };
}

/** A smaller rendition: the standard preset, its CRF capped so the rung's bandwidth holds, keyframes on the movie's. */
function renditionEncoder(index: number, rendition: HlsRendition, fps: number): string[] {
  const { preset, crf } = ENCODER_SETTINGS.standard;
  const maxrate = rendition.maxrate ?? '2800k';
  return [
    `-c:v:${index}`,
    'libx264',
    `-profile:v:${index}`,
    'high',
    `-preset:v:${index}`,
    preset,
    `-crf:v:${index}`,
    String(crf),
    `-maxrate:v:${index}`,
    maxrate,
    `-bufsize:v:${index}`,
    `${Number.parseInt(maxrate, 10) * 2}k`,
    `-force_key_frames:v:${index}`,
    `expr:gte(n,n_forced*${KEYFRAME_INTERVAL_SECONDS * fps})`,
  ];
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

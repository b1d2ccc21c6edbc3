import type { Quality } from './manifest.js';

export interface EncoderSettings {
  preset: string;
  crf: number;
}

/**
 * x264 preset + CRF per quality. draft uses superfast, not ultrafast:
 * ultrafast turns off CABAC and 8x8 transforms, so the stream would be
 * Constrained Baseline instead of the High profile players and share pages
 * are promised.
 */
export const ENCODER_SETTINGS: Record<Quality, EncoderSettings> = {
  draft: { preset: 'superfast', crf: 28 },
  standard: { preset: 'veryfast', crf: 23 },
  high: { preset: 'medium', crf: 20 },
};

/**
 * A keyframe at every multiple of this many seconds of the movie, so the HLS
 * segmenter cuts every rendition at the same instants (a player switching
 * renditions needs aligned segments) and a movie rendered in pieces has its
 * keyframes where one rendered whole would.
 */
export const KEYFRAME_INTERVAL_SECONDS = 6;

export const AUDIO_RATE = 48_000;
export const AUDIO_BITRATE = '160k';

/**
 * H.264 High yuv420p at the quality's preset and CRF. `firstFrame` is where
 * the encoded stretch starts in the movie: keyframes are forced on the
 * movie's clock, not the piece's. `stitchable` keeps x264's headers
 * independent of the content, so pieces encoded apart can be joined by
 * stream copy.
 */
export function videoEncoderArgs(
  quality: Quality,
  options: { fps: number; firstFrame?: number; stitchable?: boolean },
): string[] {
  const { preset, crf } = ENCODER_SETTINGS[quality];
  const every = KEYFRAME_INTERVAL_SECONDS * options.fps;
  const phase = (every - ((options.firstFrame ?? 0) % every)) % every;
  return [
    '-c:v',
    'libx264',
    '-profile:v',
    'high',
    '-pix_fmt',
    'yuv420p',
    '-preset',
    preset,
    '-crf',
    String(crf),
    ...(options.stitchable ? ['-x264-params', 'stitchable=1'] : []),
    '-force_key_frames',
    `expr:gte(n,n_forced*${every}+${phase})`,
  ];
}

export const AUDIO_ENCODER_ARGS = ['-c:a', 'aac', '-b:a', AUDIO_BITRATE, '-ar', String(AUDIO_RATE), '-ac', '2'];

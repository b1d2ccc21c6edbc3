import { INTERPOLATED_FPS, type PolishOptions } from './polishRequest.js';
import type { UpscalePlan } from './upscaler.js';

/** x264 for a finished movie: High profile, a little better than render's standard quality, since this is the final pass. */
const VIDEO_ENCODER = [
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-crf',
  '20',
  '-profile:v',
  'high',
  '-pix_fmt',
  'yuv420p',
];
const AUDIO_ENCODER = ['-c:a', 'aac', '-b:a', '160k', '-ar', '48000'];

const DENOISE_FILTERS = {
  light: 'hqdn3d=3:2:4:3',
  strong: 'nlmeans=s=3:p=5:r=9',
} as const;

export interface PolishGraphInput {
  source: string;
  output: string;
  options: PolishOptions;
  hasAudio: boolean;
  upscale?: UpscalePlan;
  /** The second loudnorm pass, when loudness is asked for and the movie is not silent. */
  loudnorm?: string | null;
}

/**
 * The polish as one FFmpeg run's arguments (pure: unit-testable without
 * FFmpeg). Denoise runs first (noise must not be upscaled or interpolated),
 * then interpolation at the smaller size (minterpolate is the costliest filter
 * by far), then upscaling. A stream with nothing to do is copied, not
 * re-encoded. The sound always comes from the source.
 */
export function buildPolishArgs(input: PolishGraphInput): string[] {
  const { options, upscale } = input;
  const videoFromUpscaler = upscale && upscale.videoInput !== input.source;
  const inputs = ['-i', input.source, ...(videoFromUpscaler ? ['-i', upscale.videoInput] : [])];

  const videoFilters = [
    ...(options.denoise ? [DENOISE_FILTERS[options.denoise]] : []),
    ...(options.interpolate ? [`minterpolate=fps=${INTERPOLATED_FPS}:mi_mode=mci:mc_mode=obmc:me_mode=bidir`] : []),
    ...(upscale?.filters ?? []),
  ];
  const video = [
    '-map',
    videoFromUpscaler ? '1:v:0' : '0:v:0',
    ...(videoFilters.length
      ? ['-filter:v', [...videoFilters, 'format=yuv420p'].join(','), ...VIDEO_ENCODER]
      : ['-c:v', 'copy']),
  ];
  const audio = input.hasAudio
    ? ['-map', '0:a:0', ...(input.loudnorm ? ['-filter:a', input.loudnorm, ...AUDIO_ENCODER] : ['-c:a', 'copy'])]
    : [];
  return [...inputs, ...video, ...audio, '-movflags', '+faststart', '-f', 'mp4', input.output];
}

import { DENOISE_LEVELS, UPSCALE_TARGETS, type UpscaleTarget } from '@storyreel/shared';
import { z } from 'zod';

/** Upscale targets: the short side of the frame becomes the resolution's line count, keeping the aspect. */
export const UPSCALE_SHORT_SIDE: Record<UpscaleTarget, number> = {
  '720p': 720,
  '1080p': 1080,
  '1440p': 1440,
  '2160p': 2160,
};

export const INTERPOLATED_FPS = 60;

export const PolishOptions = z
  .object({
    upscale: z.enum(UPSCALE_TARGETS).optional(),
    /** Motion-compensated frame interpolation to 60 fps. */
    interpolate: z.boolean().optional(),
    /** light: hqdn3d (fast, temporal); strong: nlmeans (slow, keeps edges better). */
    denoise: z.enum(DENOISE_LEVELS).optional(),
    /** Two-pass EBU R128 loudness normalisation to this integrated loudness. */
    loudness: z
      .object({ targetLufs: z.number().min(-30).max(-9).default(-14) })
      .strict()
      .optional(),
  })
  .strict();
export type PolishOptions = z.infer<typeof PolishOptions>;

export const PolishRequest = PolishOptions.extend({
  /** A rendered movie: `gs://<media bucket>/users/<uid>/...mp4`. */
  videoPath: z.string().min(1).max(1100),
}).refine((r) => r.upscale || r.interpolate || r.denoise || r.loudness, {
  message: 'ask for at least one of upscale, interpolate, denoise, loudness',
  path: ['upscale'],
});
export type PolishRequest = z.infer<typeof PolishRequest>;

export function optionsOf(request: PolishRequest): PolishOptions {
  const { videoPath: _videoPath, ...options } = request;
  return options;
}

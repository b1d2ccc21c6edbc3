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

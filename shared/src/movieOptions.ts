/**
 * The words services use with each other about how a movie looks: compose
 * stores them on a project, align-captions and render act on them. One list,
 * so a value one service accepts is never refused by the next.
 */
export const ASPECTS = ['16:9', '9:16', '1:1'] as const;
export const CAPTION_PRESETS = ['karaoke', 'clean', 'bold-centre'] as const;
export const CAPTION_POSITIONS = ['bottom', 'centre', 'top'] as const;

export type Aspect = (typeof ASPECTS)[number];
export type CaptionPreset = (typeof CAPTION_PRESETS)[number];
export type CaptionPosition = (typeof CAPTION_POSITIONS)[number];

/** What the polish service can do to a rendered movie; compose's movie job asks for it in these words. */
export const UPSCALE_TARGETS = ['720p', '1080p', '1440p', '2160p'] as const;
export const DENOISE_LEVELS = ['light', 'strong'] as const;

export type UpscaleTarget = (typeof UPSCALE_TARGETS)[number];
export type DenoiseLevel = (typeof DENOISE_LEVELS)[number];

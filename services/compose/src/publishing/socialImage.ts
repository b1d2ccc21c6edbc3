import sharp from 'sharp';

/** The link-preview size Facebook, LinkedIn, Slack and X all crop well (1.91:1). */
export const SOCIAL_IMAGE = { width: 1200, height: 630 } as const;

/**
 * The poster fitted whole into 1200x630 over a blurred, darkened copy of
 * itself: a 9:16 or 1:1 movie keeps its whole frame instead of being cropped
 * to a strip, and a 16:9 one only gains thin side bands.
 */
export async function socialImage(poster: Buffer): Promise<Buffer> {
  const { width, height } = SOCIAL_IMAGE;
  const [backdrop, front] = await Promise.all([
    sharp(poster).resize(width, height, { fit: 'cover' }).blur(24).modulate({ brightness: 0.55 }).toBuffer(),
    sharp(poster).resize(width, height, { fit: 'inside' }).toBuffer(),
  ]);
  return sharp(backdrop)
    .composite([{ input: front, gravity: 'centre' }])
    .jpeg({ quality: 85, mozjpeg: true })
    .toBuffer();
}

import { AppError } from '@storyreel/shared';
import sharp from 'sharp';
import { FORMATS, type MediaFormat } from './mediaSniffer.js';
import type { UploadLimits } from './uploadLimits.js';

/** Bumped when the output of normaliseImage changes, and recorded with each upload. */
export const NORMALISER_VERSION = 1;
export const NORMALISED_CONTENT_TYPE = 'image/jpeg';

export interface NormalisedImage {
  image: Buffer;
  width: number;
  height: number;
  thumbnail: Buffer;
  thumbWidth: number;
  thumbHeight: number;
}

type ImageLimits = Pick<UploadLimits, 'maxInputPixels' | 'maxImageDimension' | 'thumbnailSize'>;

const damaged = (format: MediaFormat, err: unknown) =>
  new AppError('unsupported_media_type', `the image is damaged, truncated or not really a ${FORMATS[format].label}`, {
    reason: (err as Error).message?.split('\n')[0],
  });

const tooManyPixels = (width: number, height: number, limit: number) =>
  new AppError(
    'payload_too_large',
    `the image is ${width}×${height} (${Math.round((width * height) / 1e6)} MP); the limit is ${Math.round(limit / 1e6)} MP`,
    { width, height, maxPixels: limit },
  );

/**
 * Reads width and height from the header alone (no pixel is decoded) and
 * refuses an image over the pixel limit, so a small file that claims
 * 20000×20000 is turned away in milliseconds instead of filling memory.
 */
export async function checkImageHeader(
  file: string,
  format: MediaFormat,
  limits: Pick<UploadLimits, 'maxInputPixels'>,
): Promise<{ width: number; height: number }> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw damaged(format, err);
  }
  const { width, height } = meta;
  if (!width || !height) throw damaged(format, new Error('no dimensions in the header'));
  if (width * height > limits.maxInputPixels) throw tooManyPixels(width, height, limits.maxInputPixels);
  return { width, height };
}

/**
 * The one stored form of an uploaded picture: EXIF orientation applied, all
 * metadata (EXIF with GPS, XMP, ICC) dropped, sRGB JPEG no larger than
 * `maxImageDimension` on its long side, transparency flattened onto white;
 * of an animation, the first frame. Plus a thumbnail of the same.
 */
export async function normaliseImage(file: string, format: MediaFormat, limits: ImageLimits): Promise<NormalisedImage> {
  await checkImageHeader(file, format, limits);
  try {
    const { data: image, info } = await sharp(file, {
      // The header check above is the fast refusal; this stops a header that lied about its size.
      limitInputPixels: limits.maxInputPixels,
      failOn: 'truncated',
    })
      .rotate()
      .resize(limits.maxImageDimension, limits.maxImageDimension, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 86, chromaSubsampling: '4:2:0' })
      .toBuffer({ resolveWithObject: true });
    const thumb = await sharp(image)
      .resize(limits.thumbnailSize, limits.thumbnailSize, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return {
      image,
      width: info.width,
      height: info.height,
      thumbnail: thumb.data,
      thumbWidth: thumb.info.width,
      thumbHeight: thumb.info.height,
    };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw damaged(format, err);
  }
}

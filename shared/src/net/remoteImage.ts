import { AppError } from '../errors.js';
import { fetchPublicUrl, type SsrfGuardOptions } from './ssrfGuard.js';

/**
 * Pulls an image a provider left at a URL (fal answers with links to its
 * CDN) into our hands, server-side, through the SSRF guard: a provider's
 * answer is outside input, and a URL in it must not reach our network.
 * Only JPEG, PNG and WebP bytes are accepted, whatever the headers say.
 */
export interface PulledImage {
  body: Buffer;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
}

export interface PullImageOptions extends SsrfGuardOptions {
  /** 25 MB: a 4K PNG is well under it. */
  maxBytes?: number;
  totalTimeoutMs?: number;
}

const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

export function sniffImageType(bytes: Buffer): PulledImage['contentType'] | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  return undefined;
}

export async function pullRemoteImage(url: string, options: PullImageOptions = {}): Promise<PulledImage> {
  const fetched = await fetchPublicUrl(url, {
    ...options,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    accept: 'image/jpeg, image/png, image/webp',
    ...(options.totalTimeoutMs ? { totalTimeoutMs: options.totalTimeoutMs } : {}),
  });
  const contentType = sniffImageType(fetched.body);
  if (!contentType) {
    throw new AppError('unavailable', 'the image the provider linked to is not a JPEG, PNG or WebP', {
      reason: 'remote_image_not_an_image',
      url: fetched.url,
    });
  }
  return { body: fetched.body, contentType };
}

import { badRequest } from '../errors.js';

/** The longest a signed URL may live: GCS V4's own limit, kept locally too. */
export const MAX_SIGNED_URL_SECONDS = 7 * 24 * 3600;

/** `users/u 1/a.mp4` -> `users/u%201/a.mp4`: each segment encoded, slashes kept. */
export const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

export function checkSignedUrlSeconds(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SIGNED_URL_SECONDS) {
    throw badRequest(`signed URLs last 1 to ${MAX_SIGNED_URL_SECONDS} seconds`, { seconds });
  }
}

import { randomBytes } from 'node:crypto';

/**
 * 128 random bits in base64url (22 characters): a share link cannot be
 * guessed or walked to find other people's movies.
 */
export function newPublicId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * A folder per publish under the movie's folder: a republished movie gets new
 * object URLs, so no browser or CDN cache mixes the old video with the new page.
 */
export function newRevision(): string {
  return randomBytes(6).toString('base64url');
}

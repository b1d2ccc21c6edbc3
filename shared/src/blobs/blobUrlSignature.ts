import { createHmac, timingSafeEqual } from 'node:crypto';
import { forbidden } from '../errors.js';

/**
 * HMAC-SHA256 (base64url) of `<bucket>/<key>/<expires>`. Unambiguous: bucket
 * names hold no slash and expires is digits only, so it is the part after the last slash.
 */
export function blobUrlSignature(bucket: string, key: string, expires: number, secret: string): string {
  return createHmac('sha256', secret).update(`${bucket}/${key}/${expires}`).digest('base64url');
}

export interface SignedBlobRequest {
  bucket: string;
  key: string;
  /** The `expires` query value (unix seconds), as received. */
  expires: unknown;
  /** The `sig` query value, as received. */
  sig: unknown;
}

/** Throws `permission_denied` (403) unless the URL was signed with `secret` and has not expired. */
export function verifySignedBlobUrl(request: SignedBlobRequest, secret: string, nowMs = Date.now()): void {
  const { bucket, key, expires, sig } = request;
  if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof sig !== 'string') {
    throw forbidden('this link is not signed');
  }
  const expected = Buffer.from(blobUrlSignature(bucket, key, Number(expires), secret));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw forbidden('this link has a bad signature');
  }
  if (Number(expires) * 1000 <= nowMs) throw forbidden('this link has expired');
}

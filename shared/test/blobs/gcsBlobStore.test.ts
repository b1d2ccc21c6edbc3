import { createHash, generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { describe, expect, it } from 'vitest';
import { openGcsBlobStore } from '../../src/blobs/gcsBlobStore.js';
import { type BlobStoreHarness, blobStoreContract } from './blobStoreContract.js';
import { startFakeGcs } from './fixtures/fakeGcsServer.js';

// Never probe a GCE metadata server from a test.
process.env.METADATA_SERVER_DETECTION = 'none';

const buckets = { media: 'storyreel-media', public: 'storyreel-public' };
const clientEmail = 'renderer@demo-storyreel.iam.gserviceaccount.com';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const credentials = {
  client_email: clientEmail,
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
};

/** RFC 3986 encoding, as V4 canonical query strings want it. */
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Checks a V4 signed URL from the spec, independently of the library:
 * rebuilds the canonical request and string-to-sign from the URL and verifies
 * the RSA-SHA256 signature with the service account's public key.
 * https://cloud.google.com/storage/docs/authentication/signatures
 */
function verifyV4SignedUrl(url: string, key: KeyObject, atMs: number): boolean {
  const u = new URL(url);
  const q = u.searchParams;
  const date = q.get('X-Goog-Date') ?? '';
  const signature = q.get('X-Goog-Signature') ?? '';
  const scope = `${date.slice(0, 8)}/auto/storage/goog4_request`;
  if (q.get('X-Goog-Algorithm') !== 'GOOG4-RSA-SHA256' || q.get('X-Goog-Credential') !== `${clientEmail}/${scope}`)
    return false;
  if (q.get('X-Goog-SignedHeaders') !== 'host') return false;
  const query = [...q.entries()]
    .filter(([k]) => k !== 'X-Goog-Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = ['GET', u.pathname, query, `host:${u.hostname}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const stringToSign = [
    'GOOG4-RSA-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  if (!verify('sha256', Buffer.from(stringToSign), key, Buffer.from(signature, 'hex'))) return false;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m) return false;
  const signedAt = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return atMs < signedAt + Number(q.get('X-Goog-Expires')) * 1000;
}

blobStoreContract('gcs (through a loopback fake of the GCS JSON API)', async (): Promise<BlobStoreHarness> => {
  const fake = await startFakeGcs();
  const storage = new Storage({ projectId: 'demo-storyreel', apiEndpoint: fake.url, credentials });
  return {
    store: openGcsBlobStore({ storage, buckets }),
    buckets,
    verifySignedUrl: (url, atMs) => verifyV4SignedUrl(url, publicKey, atMs),
    fingerprint: async () => `${fake.requests()} requests; ${fake.objects().join(',')}`,
    close: () => fake.close(),
  };
});

describe('gcs BlobStore URLs', () => {
  const store = openGcsBlobStore({ storage: new Storage({ projectId: 'demo-storyreel', credentials }), buckets });

  it('signs V4 read URLs for storage.googleapis.com with the service account key, offline', async () => {
    const before = Date.now();
    const url = new URL(await store.signedUrl('gs://storyreel-media/users/u1/projects/p1/movie draft.mp4', 900));
    expect(url.origin).toBe('https://storage.googleapis.com');
    expect(url.pathname).toBe('/storyreel-media/users/u1/projects/p1/movie%20draft.mp4');
    const q = url.searchParams;
    expect(q.get('X-Goog-Algorithm')).toBe('GOOG4-RSA-SHA256');
    expect(q.get('X-Goog-Credential')).toMatch(new RegExp(`^${clientEmail}/\\d{8}/auto/storage/goog4_request$`));
    expect(q.get('X-Goog-Date')).toMatch(/^\d{8}T\d{6}Z$/);
    expect(q.get('X-Goog-Expires')).toBe('900');
    expect(q.get('X-Goog-SignedHeaders')).toBe('host');
    expect(q.get('X-Goog-Signature')).toMatch(/^[0-9a-f]{512}$/);
    expect(verifyV4SignedUrl(url.href, publicKey, before)).toBe(true);
    expect(verifyV4SignedUrl(url.href, publicKey, before + 901_000)).toBe(false);
    // Another key did not sign it.
    expect(verifyV4SignedUrl(url.href, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, before)).toBe(
      false,
    );
    const longer = new URL(url);
    longer.searchParams.set('X-Goog-Expires', '604800');
    expect(verifyV4SignedUrl(longer.href, publicKey, before)).toBe(false);
  });

  it('gives public bucket objects their storage.googleapis.com URL, and refuses others', () => {
    expect(store.publicUrl('gs://storyreel-public/movies/pub1/movie 1.mp4')).toBe(
      'https://storage.googleapis.com/storyreel-public/movies/pub1/movie%201.mp4',
    );
    expect(() => store.publicUrl('gs://storyreel-media/movies/pub1/movie.mp4')).toThrow(/public bucket/);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseEnv } from '@storyreel/config';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { verifySignedBlobUrl } from '../../src/blobs/blobUrlSignature.js';
import { createBlobStore } from '../../src/blobs/createBlobStore.js';
import { serveLocalBlobs } from '../../src/blobs/localBlobRoutes.js';
import { openLocalBlobStore } from '../../src/blobs/localBlobStore.js';
import { type BlobStoreHarness, blobStoreContract } from './blobStoreContract.js';

const SECRET = 'local-blob-test-secret-0123456789abcdef';
const BASE = 'http://127.0.0.1:8080';
const buckets = { media: 'storyreel-media', public: 'storyreel-public' };
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function newRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'local-blobs-'));
  roots.push(root);
  return root;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** A local signed URL checked the way serveLocalBlobs checks it. */
function verifyLocalUrl(url: string, atMs: number): boolean {
  const u = new URL(url);
  const [, route, bucket = '', ...key] = u.pathname.split('/');
  if (route !== 'blobs') return false;
  try {
    verifySignedBlobUrl(
      {
        bucket,
        key: key.map(decodeURIComponent).join('/'),
        expires: u.searchParams.get('expires') ?? undefined,
        sig: u.searchParams.get('sig') ?? undefined,
      },
      SECRET,
      atMs,
    );
    return true;
  } catch {
    return false;
  }
}

blobStoreContract('local', async (): Promise<BlobStoreHarness> => {
  const root = newRoot();
  return {
    store: openLocalBlobStore({ root, buckets, publicBaseUrl: BASE, signingSecret: SECRET }),
    buckets,
    verifySignedUrl: verifyLocalUrl,
    fingerprint: async () =>
      filesUnder(root)
        .map((f) => `${f}:${statSync(join(root, f)).size}:${statSync(join(root, f)).mtimeMs}`)
        .join('\n'),
    close: async () => undefined,
  };
});

describe('local BlobStore', () => {
  it('keeps objects as plain files in one folder per bucket, content types aside, no temp files left', async () => {
    const root = newRoot();
    const store = openLocalBlobStore({ root, buckets, publicBaseUrl: BASE, signingSecret: SECRET });
    await store.put('gs://storyreel-media/users/u1/a.txt', 'hello', { contentType: 'text/plain' });
    await store.putFile(
      'gs://storyreel-public/movies/m1/movie.mp4',
      join(root, 'storyreel-media', 'users', 'u1', 'a.txt'),
    );
    expect(readFileSync(join(root, 'storyreel-media', 'users', 'u1', 'a.txt'), 'utf8')).toBe('hello');
    expect(filesUnder(root)).toEqual([
      '.meta/storyreel-media/users/u1/a.txt.json',
      '.meta/storyreel-public/movies/m1/movie.mp4.json',
      'storyreel-media/users/u1/a.txt',
      'storyreel-public/movies/m1/movie.mp4',
    ]);
    await expect(store.putFile('gs://storyreel-media/x.bin', join(root, 'missing.bin'))).rejects.toThrow(/ENOENT/);
    expect(readdirSync(join(root, '.tmp'))).toEqual([]);
    await store.delete('gs://storyreel-media/users/u1/a.txt');
    // Emptied folders go too, so a later object may take their name.
    expect(readdirSync(join(root, 'storyreel-media'))).toEqual([]);
  });

  it('answers 409 when an object path runs through another object', async () => {
    const store = openLocalBlobStore({ root: newRoot(), buckets, publicBaseUrl: BASE, signingSecret: SECRET });
    await store.put('gs://storyreel-media/a', 'file');
    await expect(store.put('gs://storyreel-media/a/b', 'x')).rejects.toMatchObject({ code: 'conflict', status: 409 });
    expect((await store.get('gs://storyreel-media/a')).toString()).toBe('file');
  });

  it('never shows a reader half of an object while it is rewritten', async () => {
    const store = openLocalBlobStore({ root: newRoot(), buckets, publicBaseUrl: BASE, signingSecret: SECRET });
    const path = 'gs://storyreel-media/big.bin';
    const a = Buffer.alloc(2_000_000, 'a');
    const b = Buffer.alloc(1_000_000, 'b');
    await store.put(path, a);
    const writes = (async () => {
      for (let i = 0; i < 10; i++) await store.put(path, i % 2 ? a : b);
    })();
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const got = await store.get(path);
      expect(got.equals(a) || got.equals(b)).toBe(true);
      seen.add(got.toString('utf8', 0, 1));
    }
    await writes;
    expect(seen.size).toBeGreaterThan(0);
  });

  it('is what createBlobStore builds from a local config', async () => {
    const root = newRoot();
    const env = parseEnv({
      MESH_SECRET: SECRET,
      URL_SIGNING_SECRET: SECRET,
      BLOB_LOCAL_DIR: root,
      PUBLIC_BASE_URL: 'http://localhost:9000',
    });
    const store = createBlobStore(env);
    await store.put('gs://storyreel-media/k.txt', 'k');
    expect(readFileSync(join(root, 'storyreel-media', 'k.txt'), 'utf8')).toBe('k');
    expect(store.publicUrl('gs://storyreel-public/m/x.mp4')).toBe(
      'http://localhost:9000/public/storyreel-public/m/x.mp4',
    );
  });
});

describe('serveLocalBlobs', () => {
  const root = newRoot();
  const env = parseEnv({
    MESH_SECRET: SECRET,
    URL_SIGNING_SECRET: SECRET,
    BLOB_LOCAL_DIR: root,
    PUBLIC_BASE_URL: BASE,
  });
  const store = openLocalBlobStore({ root, buckets, publicBaseUrl: BASE, signingSecret: SECRET });
  const app = express();
  app.use(serveLocalBlobs(store, env));
  app.use((_req, res) => {
    res.status(418).send('fell through');
  });
  const draft = 'gs://storyreel-media/users/u1/projects/p1/movie draft.mp4';
  const published = 'gs://storyreel-public/movies/pub1/movie.mp4';
  const relativeUrl = (url: string) => url.slice(BASE.length);

  it('serves a signed URL whole, with type, length and caching headers', async () => {
    await store.put(draft, '0123456789', { contentType: 'video/mp4' });
    const res = await request(app)
      .get(relativeUrl(await store.signedUrl(draft, 300)))
      .responseType('blob');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['content-length']).toBe('10');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['cache-control']).toMatch(/^private, max-age=(29\d|300)$/);
    expect(Buffer.from(res.body as Buffer).toString()).toBe('0123456789');
  });

  it('answers byte ranges with 206, suffix ranges, and 416 outside the object', async () => {
    await store.put(draft, '0123456789', { contentType: 'video/mp4' });
    const url = relativeUrl(await store.signedUrl(draft, 300));
    const part = await request(app).get(url).set('range', 'bytes=2-5').responseType('blob');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 2-5/10');
    expect(Buffer.from(part.body as Buffer).toString()).toBe('2345');
    const tail = await request(app).get(url).set('range', 'bytes=-3').responseType('blob');
    expect(tail.status).toBe(206);
    expect(Buffer.from(tail.body as Buffer).toString()).toBe('789');
    const open = await request(app).get(url).set('range', 'bytes=7-').responseType('blob');
    expect(Buffer.from(open.body as Buffer).toString()).toBe('789');
    const outside = await request(app).get(url).set('range', 'bytes=50-60');
    expect(outside.status).toBe(416);
    expect(outside.headers['content-range']).toBe('bytes */10');
    const head = await request(app).head(url);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('10');
  });

  it('refuses bad, tampered, missing and expired signatures with 403 and the shared error body', async () => {
    await store.put(draft, 'secret draft');
    const url = new URL(await store.signedUrl(draft, 300));
    const cases: string[] = [];
    const tampered = new URL(url);
    tampered.searchParams.set('sig', `${url.searchParams.get('sig')?.slice(0, -2)}xx`);
    cases.push(tampered.href);
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 1000));
    cases.push(later.href);
    const unsigned = new URL(url);
    unsigned.search = '';
    cases.push(unsigned.href);
    cases.push(url.href.replace('movie%20draft.mp4', 'other.mp4'));
    const expired = new URL(await store.signedUrl(draft, 1));
    const past = Math.floor(Date.now() / 1000) - 10;
    // Re-sign for a moment already gone, the way a stale link arrives.
    const { blobUrlSignature } = await import('../../src/blobs/blobUrlSignature.js');
    expired.searchParams.set('expires', String(past));
    expired.searchParams.set(
      'sig',
      blobUrlSignature('storyreel-media', 'users/u1/projects/p1/movie draft.mp4', past, SECRET),
    );
    cases.push(expired.href);
    for (const href of cases) {
      const res = await request(app).get(relativeUrl(href)).set('x-request-id', 'req-12345678');
      expect(res.status, href).toBe(403);
      expect(res.body).toMatchObject({ error: { code: 'permission_denied', requestId: 'req-12345678' } });
      expect(JSON.stringify(res.body)).not.toContain('secret draft');
    }
    expect((await request(app).get(relativeUrl(expired.href))).body.error.message).toMatch(/expired/);
  });

  it('answers 404 for a validly signed URL of an object that does not exist', async () => {
    const res = await request(app).get(
      relativeUrl(await store.signedUrl('gs://storyreel-media/users/u1/nope.mp4', 60)),
    );
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('serves the public bucket without a signature, and never the media bucket', async () => {
    await store.put(published, 'public movie', { contentType: 'video/mp4' });
    await store.put(draft, 'secret draft');
    const res = await request(app)
      .get(relativeUrl(store.publicUrl(published)))
      .responseType('blob');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(Buffer.from(res.body as Buffer).toString()).toBe('public movie');
    const privateOne = await request(app).get('/public/storyreel-media/users/u1/projects/p1/movie%20draft.mp4');
    expect(privateOne.status).toBe(404);
    expect((await request(app).get('/public/storyreel-public/movies/none.mp4')).status).toBe(404);
  });

  it('refuses traversal and foreign buckets in the URL with 400, and lets other paths through', async () => {
    for (const path of [
      '/public/storyreel-public/movies/%2e%2e/%2e%2e/x',
      '/public/storyreel-public/a/..%2f..%2fb',
      '/blobs/evil/x?expires=1&sig=x',
    ]) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'invalid_argument' } });
    }
    expect((await request(app).get('/health')).status).toBe(418);
    expect((await request(app).post('/public/storyreel-public/movies/pub1/movie.mp4')).status).toBe(418);
  });

  it('also works mounted at /blobs and /public', async () => {
    const mounted = express();
    mounted.use('/blobs', serveLocalBlobs(store, env));
    mounted.use('/public', serveLocalBlobs(store, env));
    await store.put(published, 'public movie');
    expect((await request(mounted).get(relativeUrl(store.publicUrl(published)))).status).toBe(200);
    await store.put(draft, 'draft');
    expect((await request(mounted).get(relativeUrl(await store.signedUrl(draft, 60)))).status).toBe(200);
  });
});

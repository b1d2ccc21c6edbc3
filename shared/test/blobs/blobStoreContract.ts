import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/blobs/port.js';
import { AppError } from '../../src/errors.js';

export interface BlobStoreHarness {
  store: BlobStore;
  buckets: { media: string; public: string };
  /** Whether a signed URL would be honoured at `atMs`, checked the way its server checks it. */
  verifySignedUrl(url: string, atMs: number): boolean;
  /** A fingerprint of everything stored and every request made; unchanged = nothing read or written. */
  fingerprint(): Promise<string>;
  close(): Promise<void>;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

async function appErrorOf(work: () => unknown): Promise<AppError | undefined> {
  try {
    const stream = await work();
    // A stream's failure arrives as its first error.
    if (stream && typeof (stream as Readable).pipe === 'function') await readAll(stream as Readable);
  } catch (err) {
    return err instanceof AppError ? err : undefined;
  }
  return undefined;
}

/** The behaviour every BlobStore adapter must share; each adapter's test file runs it. */
export function blobStoreContract(name: string, open: () => Promise<BlobStoreHarness>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let h: BlobStoreHarness;
    let store: BlobStore;
    let media: (key: string) => string;
    let pub: (key: string) => string;
    const work = mkdtempSync(join(tmpdir(), 'blob-contract-'));
    // A fresh folder per test keeps tests independent in shared buckets.
    const folder = () => `t/${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      h = await open();
      store = h.store;
      media = (key) => `gs://${h.buckets.media}/${key}`;
      pub = (key) => `gs://${h.buckets.public}/${key}`;
    });
    afterAll(async () => {
      await h?.close();
      rmSync(work, { recursive: true, force: true });
    });

    it('puts, stats, reads and overwrites an object, keeping its content type', async () => {
      const dir = folder();
      const path = media(`${dir}/scene 1/narration.json`);
      expect(await store.stat(path)).toBeNull();
      expect(await store.exists(path)).toBe(false);

      const info = await store.put(path, '{"a":1}', { contentType: 'application/json' });
      expect(info).toMatchObject({ path, size: 7, contentType: 'application/json' });
      expect(Date.parse(info.updated)).not.toBeNaN();
      expect(await store.stat(path)).toMatchObject({ path, size: 7, contentType: 'application/json' });
      expect(await store.exists(path)).toBe(true);
      expect((await store.get(path)).toString()).toBe('{"a":1}');

      const bytes = new Uint8Array([0, 1, 2, 250, 251]);
      const again = await store.put(path, bytes, { contentType: 'application/octet-stream' });
      expect(again).toMatchObject({ size: 5, contentType: 'application/octet-stream' });
      expect([...(await store.get(path))]).toEqual([0, 1, 2, 250, 251]);
    });

    it('guesses a content type from the name when none is given', async () => {
      const dir = folder();
      expect((await store.put(media(`${dir}/movie.mp4`), Buffer.from('x'))).contentType).toBe('video/mp4');
      expect((await store.put(media(`${dir}/poster.JPG`), Buffer.from('x'))).contentType).toBe('image/jpeg');
      expect((await store.put(media(`${dir}/blob`), Buffer.from('x'))).contentType).toBe('application/octet-stream');
    });

    it('answers 404 not_found for a missing object', async () => {
      const missing = media(`${folder()}/missing.bin`);
      expect((await appErrorOf(() => store.get(missing)))?.status).toBe(404);
      expect((await appErrorOf(() => store.getToFile(missing, join(work, 'never.bin'))))?.status).toBe(404);
      expect((await appErrorOf(() => store.createReadStream(missing)))?.status).toBe(404);
      expect((await appErrorOf(() => store.copy(missing, media(`${folder()}/x`))))?.status).toBe(404);
    });

    it('reads byte ranges (end inclusive) and whole streams', async () => {
      const path = media(`${folder()}/digits.txt`);
      await store.put(path, '0123456789');
      expect((await readAll(store.createReadStream(path, { start: 2, end: 5 }))).toString()).toBe('2345');
      expect((await readAll(store.createReadStream(path, { start: 9, end: 9 }))).toString()).toBe('9');
      expect((await readAll(store.createReadStream(path))).toString()).toBe('0123456789');
      expect((await appErrorOf(() => store.createReadStream(path, { start: 5, end: 2 })))?.status).toBe(400);
    });

    it('uploads from and downloads to local files', async () => {
      const path = media(`${folder()}/audio.wav`);
      const source = join(work, 'source.wav');
      const content = Buffer.alloc(200_000, 7);
      content.write('RIFF', 0);
      writeFileSync(source, content);
      expect(await store.putFile(path, source)).toMatchObject({ path, size: 200_000, contentType: 'audio/wav' });
      const target = join(work, 'target.wav');
      await store.getToFile(path, target);
      expect(readFileSync(target).equals(content)).toBe(true);
      expect((await store.putFile(path, source, { contentType: 'audio/x-wav' })).contentType).toBe('audio/x-wav');
    });

    it('lists by prefix, in key order, across pages, only inside the bucket', async () => {
      const dir = folder();
      const keys = ['b/2.png', 'a.txt', 'b/1.png', 'b/10.png', 'bz.txt', 'c/deep/er/x.json'];
      for (const key of keys) await store.put(media(`${dir}/${key}`), key);
      await store.put(pub(`${dir}/a.txt`), 'other bucket');

      const paths = async (prefix: string) => (await store.list(prefix)).map((i) => i.path);
      expect(await paths(media(`${dir}/`))).toEqual(
        ['a.txt', 'b/1.png', 'b/10.png', 'b/2.png', 'bz.txt', 'c/deep/er/x.json'].map((k) => media(`${dir}/${k}`)),
      );
      expect(await paths(media(`${dir}/b/`))).toEqual(
        ['b/1.png', 'b/10.png', 'b/2.png'].map((k) => media(`${dir}/${k}`)),
      );
      expect(await paths(media(`${dir}/b`))).toEqual(
        ['b/1.png', 'b/10.png', 'b/2.png', 'bz.txt'].map((k) => media(`${dir}/${k}`)),
      );
      expect(await paths(media(`${dir}/b/1`))).toEqual(['b/1.png', 'b/10.png'].map((k) => media(`${dir}/${k}`)));
      expect(await paths(media(`${dir}/c/`))).toEqual([media(`${dir}/c/deep/er/x.json`)]);
      expect(await paths(media(`${dir}/nothing/`))).toEqual([]);
      const listed = await store.list(media(`${dir}/a`));
      expect(listed).toEqual([
        expect.objectContaining({ path: media(`${dir}/a.txt`), size: 5, contentType: 'text/plain; charset=utf-8' }),
      ]);
      expect((await paths(`gs://${h.buckets.media}`)).length).toBeGreaterThanOrEqual(keys.length);
    });

    it('copies within and across buckets, keeping the content type', async () => {
      const dir = folder();
      const from = media(`${dir}/movie.mp4`);
      await store.put(from, 'moviebytes', { contentType: 'video/mp4' });
      expect(await store.copy(from, media(`${dir}/copy.bin`))).toMatchObject({
        path: media(`${dir}/copy.bin`),
        size: 10,
        contentType: 'video/mp4',
      });
      expect(await store.copy(from, pub(`movies/${dir}/movie.mp4`))).toMatchObject({
        size: 10,
        contentType: 'video/mp4',
      });
      expect((await store.get(pub(`movies/${dir}/movie.mp4`))).toString()).toBe('moviebytes');
      expect((await store.get(from)).toString()).toBe('moviebytes');
    });

    it('deletes, and deleting what is gone is not an error', async () => {
      const dir = folder();
      const path = media(`${dir}/x/y.txt`);
      await store.put(path, 'y');
      await store.put(media(`${dir}/x/z.txt`), 'z');
      await store.delete(path);
      expect(await store.exists(path)).toBe(false);
      expect(await store.stat(path)).toBeNull();
      await store.delete(path);
      expect((await store.list(media(`${dir}/`))).map((i) => i.path)).toEqual([media(`${dir}/x/z.txt`)]);
    });

    it('refuses traversal, foreign buckets, absolute keys and encoded dots (400) without reading or writing anything', async () => {
      const dir = folder();
      // What `a/../b` would reach if it were resolved: it must keep its content.
      const sentinel = media(`${dir}/b`);
      await store.put(sentinel, 'sentinel');
      const local = join(work, 'local.bin');
      writeFileSync(local, 'local');
      const bad = [
        media(`${dir}/a/../b`),
        media('../outside'),
        media(`${dir}/./b`),
        'gs://evil/x',
        `gs://${h.buckets.media}evil/x`,
        media(`/etc/passwd`),
        media(`${dir}//b`),
        media(`${dir}/%2e%2e/b`),
        media(`${dir}/a%2Fb`),
        media(`${dir}\\..\\b`),
        media(`${dir}/a\u0000b`),
        `${h.buckets.media}/${dir}/b`,
        `https://${h.buckets.media}/${dir}/b`,
        media(''),
      ];
      const before = await h.fingerprint();
      for (const path of bad) {
        const attempts: [string, () => unknown][] = [
          ['put', () => store.put(path, 'evil')],
          ['putFile', () => store.putFile(path, local)],
          ['get', () => store.get(path)],
          ['getToFile', () => store.getToFile(path, join(work, 'out.bin'))],
          ['createReadStream', () => store.createReadStream(path)],
          ['stat', () => store.stat(path)],
          ['exists', () => store.exists(path)],
          ['delete', () => store.delete(path)],
          ['copy from', () => store.copy(path, media(`${dir}/copied`))],
          ['copy to', () => store.copy(sentinel, path)],
          ['signedUrl', () => store.signedUrl(path, 60)],
          ['publicUrl', () => store.publicUrl(path)],
        ];
        if (path !== media('')) attempts.push(['list', () => store.list(path)]);
        for (const [method, attempt] of attempts) {
          const err = await appErrorOf(attempt);
          expect(err?.code, `${method}(${JSON.stringify(path)})`).toBe('invalid_argument');
          expect(err?.status, `${method}(${JSON.stringify(path)})`).toBe(400);
        }
      }
      expect(await h.fingerprint()).toBe(before);
      expect((await store.get(sentinel)).toString()).toBe('sentinel');
      expect(await store.exists(media(`${dir}/copied`))).toBe(false);
    });

    it('signs URLs that verify until they expire, and bounds their lifetime', async () => {
      const path = media(`${folder()}/preview.mp4`);
      await store.put(path, 'preview');
      const url = await store.signedUrl(path, 600);
      expect(h.verifySignedUrl(url, Date.now())).toBe(true);
      expect(h.verifySignedUrl(url, Date.now() + 601_000)).toBe(false);
      const other = await store.signedUrl(media(`${folder()}/other.mp4`), 600);
      // A signature belongs to its object: moved onto another path it fails.
      const swapped = new URL(url);
      swapped.search = new URL(other).search;
      expect(h.verifySignedUrl(swapped.href, Date.now())).toBe(false);
      for (const seconds of [0, -5, 1.5, 7 * 24 * 3600 + 1]) {
        expect((await appErrorOf(() => store.signedUrl(path, seconds)))?.status).toBe(400);
      }
    });

    it('gives durable public URLs only for the public bucket', async () => {
      const key = `movies/${folder()}/movie 1.mp4`;
      const url = store.publicUrl(pub(key));
      expect(url.endsWith(`/${h.buckets.public}/${key.replace('movie 1', 'movie%201')}`), url).toBe(true);
      expect(() => store.publicUrl(media(key))).toThrow(AppError);
    });
  });
}

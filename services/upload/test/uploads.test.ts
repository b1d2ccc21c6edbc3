import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLLECTIONS } from '@storyreel/shared';
import { createTestService, serviceHeaders, type TestService, userHeaders } from '@storyreel/shared/testing';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heicReadable } from '../src/mediaSniffer.js';
import { uploadRoutes } from '../src/routes.js';
import { sweepExpiredSessions } from '../src/sessionSweeper.js';
import { UPLOAD_SESSIONS } from '../src/uploadSessions.js';
import { noisyJpeg, pngBomb, sha256, sidewaysJpeg, solidPng, tone } from './mediaSamples.js';
import { createUpload, putChunk, uploadWhole } from './uploadClient.js';

const CHUNK = 16 * 1024;
const LIMITS = {
  chunkBytes: 64 * 1024,
  minChunkBytes: 1024,
  imageMaxBytes: 2 * 1024 * 1024,
  audioMaxBytes: 2 * 1024 * 1024,
  maxImageDimension: 256,
  thumbnailSize: 64,
};

let svc: TestService;
let scratch: string;
const clock = { offsetMs: 0 };

async function addProject(s: TestService, id: string, owner: string) {
  await s.ctx.docs.create(COLLECTIONS.projects, id, { owner, title: `${owner}'s story`, scenes: [] });
}

const objectsUnder = async (s: TestService, prefix: string) =>
  (await s.ctx.blobs.list(`gs://${s.ctx.buckets.media}/${prefix}`)).map((b) => b.path);

beforeAll(async () => {
  svc = await createTestService({
    name: 'upload',
    routes: (ctx) => uploadRoutes(ctx, { limits: LIMITS, now: () => new Date(Date.now() + clock.offsetMs) }),
  });
  scratch = await mkdtemp(join(tmpdir(), 'upload-test-'));
  await addProject(svc, 'p-alice', 'alice');
  await addProject(svc, 'p-bob', 'bob');
  await addProject(svc, 'p-carol', 'carol');
});

afterAll(async () => {
  await svc?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Sends `half` of a chunk announced as `whole`, then drops the connection, as a browser losing its network does. */
function dropMidChunk(baseUrl: string, id: string, whole: Buffer, start: number, total: number): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(`${baseUrl}/v1/uploads/${id}`, {
      method: 'PUT',
      headers: {
        ...userHeaders('alice'),
        'content-type': 'application/octet-stream',
        'content-length': String(whole.length),
        'content-range': `bytes ${start}-${start + whole.length - 1}/${total}`,
      },
    });
    req.on('error', () => resolve());
    req.write(whole.subarray(0, whole.length / 2), () => {
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
  });
}

describe('a resumable upload', () => {
  it('resumes after a dropped connection from the last stored chunk, and stores bytes matching the checksum', async () => {
    const wav = await tone(scratch, 'wav', 2);
    const total = wav.length;
    expect(total).toBeGreaterThan(5 * CHUNK);
    const created = await createUpload(svc.app, 'alice', {
      projectId: 'p-alice',
      kind: 'audio',
      contentType: 'audio/wav',
      bytes: wav,
    }).expect(201);
    expect(created.body).toMatchObject({ offset: 0, size: total, status: 'open', chunkSize: LIMITS.chunkBytes });
    const id = created.body.id as string;
    expect(created.body.uploadUrl).toBe(`/v1/uploads/${id}`);

    for (let start = 0; start < 3 * CHUNK; start += CHUNK) {
      const res = await putChunk(svc.app, 'alice', id, wav.subarray(start, start + CHUNK), start, total).expect(200);
      expect(res.body.offset).toBe(start + CHUNK);
    }
    const { url } = await svc.listen(0);
    await dropMidChunk(url, id, wav.subarray(3 * CHUNK, 4 * CHUNK), 3 * CHUNK, total);

    // A new client (another tab, after a reload) asks where to go on.
    const status = await request(svc.app).get(`/v1/uploads/${id}`).set(userHeaders('alice')).expect(200);
    expect(status.body).toMatchObject({ offset: 3 * CHUNK, size: total, status: 'open' });
    expect(status.body.percent).toBe(Math.floor(((3 * CHUNK) / total) * 100));

    // Sending from the wrong place is refused with the offset to use.
    const wrong = await putChunk(svc.app, 'alice', id, wav.subarray(0, CHUNK), 0, total).expect(409);
    expect(wrong.body.error.details.offset).toBe(3 * CHUNK);

    for (let start = status.body.offset as number; start < total; start += CHUNK) {
      await putChunk(svc.app, 'alice', id, wav.subarray(start, start + CHUNK), start, total).expect(200);
    }
    const done = await request(svc.app).post(`/v1/uploads/${id}/complete`).set(userHeaders('alice')).expect(200);
    expect(done.body.status).toBe('completed');
    const upload = done.body.upload;
    expect(upload).toMatchObject({ kind: 'audio', contentType: 'audio/wav', sha256: sha256(wav), cached: false });
    expect(upload.durationSeconds).toBeCloseTo(2, 1);
    expect(upload.path).toBe(`gs://${svc.ctx.buckets.media}/users/alice/projects/p-alice/uploads/${sha256(wav)}.wav`);
    expect(sha256(await svc.ctx.blobs.get(upload.path))).toBe(sha256(wav));
    // The chunks are gone once the file is assembled.
    expect(await objectsUnder(svc, `users/alice/uploads-staging/${id}/`)).toEqual([]);
    const record = await svc.ctx.docs.get<Record<string, unknown>>(COLLECTIONS.uploads, upload.uploadId);
    expect(record?.data).toMatchObject({ owner: 'alice', projectId: 'p-alice', kind: 'audio', sha256: sha256(wav) });

    // Completing again answers the same result.
    const again = await request(svc.app).post(`/v1/uploads/${id}/complete`).set(userHeaders('alice')).expect(200);
    expect(again.body.upload).toEqual(upload);
  });

  it('refuses to complete before every byte is stored', async () => {
    const jpeg = await noisyJpeg(64, 64);
    const created = await createUpload(svc.app, 'alice', {
      projectId: 'p-alice',
      kind: 'image',
      contentType: 'image/jpeg',
      bytes: jpeg,
    }).expect(201);
    await putChunk(svc.app, 'alice', created.body.id, jpeg.subarray(0, 1024), 0, jpeg.length).expect(200);
    const res = await request(svc.app)
      .post(`/v1/uploads/${created.body.id}/complete`)
      .set(userHeaders('alice'))
      .expect(409);
    expect(res.body.error.details).toEqual({ offset: 1024, size: jpeg.length });
  });

  it('checks chunks against Content-Range, the chunk limits and the content type', async () => {
    const bytes = await noisyJpeg(200, 200);
    const { body } = await createUpload(svc.app, 'alice', {
      projectId: 'p-alice',
      kind: 'image',
      contentType: 'image/jpeg',
      bytes,
    }).expect(201);
    const at = `/v1/uploads/${body.id}`;
    const put = () => request(svc.app).put(at).set(userHeaders('alice'));
    await put().set('content-type', 'application/octet-stream').send(bytes.subarray(0, 2048)).expect(400);
    await put()
      .set('content-type', 'application/octet-stream')
      .set('content-range', `bytes 0-2047/${bytes.length + 1}`)
      .send(bytes.subarray(0, 2048))
      .expect(400);
    await put()
      .set('content-type', 'text/plain')
      .set('content-range', `bytes 0-2047/${bytes.length}`)
      .send(bytes.subarray(0, 2048).toString('latin1'))
      .expect(415);
    // Too small for a chunk that is not the last one.
    await putChunk(svc.app, 'alice', body.id, bytes.subarray(0, 100), 0, bytes.length).expect(400);
    // Larger than a chunk may be.
    if (bytes.length > LIMITS.chunkBytes) {
      await putChunk(svc.app, 'alice', body.id, bytes.subarray(0, LIMITS.chunkBytes + 1), 0, bytes.length).expect(413);
    }
    // A body longer than its range.
    await put()
      .set('content-type', 'application/octet-stream')
      .set('content-range', `bytes 0-2047/${bytes.length}`)
      .send(bytes.subarray(0, 4096))
      .expect((res) => expect([400, 413]).toContain(res.status));
    const status = await request(svc.app).get(at).set(userHeaders('alice')).expect(200);
    expect(status.body.offset).toBe(0);
    await request(svc.app).delete(at).set(userHeaders('alice')).expect(204);
  });

  it('is cancelled by DELETE, which drops the stored chunks', async () => {
    const bytes = await noisyJpeg(96, 96);
    const { body } = await createUpload(svc.app, 'alice', {
      projectId: 'p-alice',
      kind: 'image',
      contentType: 'image/jpeg',
      bytes,
    }).expect(201);
    await putChunk(svc.app, 'alice', body.id, bytes.subarray(0, 2048), 0, bytes.length).expect(200);
    expect(await objectsUnder(svc, `users/alice/uploads-staging/${body.id}/`)).toHaveLength(1);
    await request(svc.app).delete(`/v1/uploads/${body.id}`).set(userHeaders('alice')).expect(204);
    expect(await objectsUnder(svc, `users/alice/uploads-staging/${body.id}/`)).toEqual([]);
    await request(svc.app).get(`/v1/uploads/${body.id}`).set(userHeaders('alice')).expect(404);
  });
});

describe('files that are refused, with nothing stored', () => {
  const nothingStoredFor = async (sessionId: string) => {
    expect(await objectsUnder(svc, 'users/carol/')).toEqual([]);
    expect(await svc.ctx.docs.query(COLLECTIONS.uploads, { where: [['owner', '==', 'carol']] })).toEqual([]);
    const status = await request(svc.app).get(`/v1/uploads/${sessionId}`).set(userHeaders('carol')).expect(200);
    expect(status.body.status).toBe('failed');
  };

  it('a wrong checksum', async () => {
    const jpeg = await noisyJpeg(80, 60);
    const res = await uploadWhole(svc.app, 'carol', {
      projectId: 'p-carol',
      kind: 'image',
      contentType: 'image/jpeg',
      bytes: jpeg,
      sha256: sha256(Buffer.from('something else')),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.reason).toBe('checksum_mismatch');
    expect(res.body.error.details.actual).toBe(sha256(jpeg));
    await nothingStoredFor(res.sessionId);
  });

  it('a truncated JPEG', async () => {
    const jpeg = await noisyJpeg(120, 90);
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
    const res = await uploadWhole(svc.app, 'carol', {
      projectId: 'p-carol',
      kind: 'image',
      contentType: 'image/jpeg',
      bytes: truncated,
    });
    expect(res.status).toBe(415);
    expect(res.body.error.message).toMatch(/damaged|truncated/);
    await nothingStoredFor(res.sessionId);
  });

  it('a PNG header followed by garbage', async () => {
    const liar = Buffer.concat([(await solidPng(8, 8)).subarray(0, 33), Buffer.alloc(3000, 0x5a)]);
    const res = await uploadWhole(svc.app, 'carol', {
      projectId: 'p-carol',
      kind: 'image',
      contentType: 'image/png',
      bytes: liar,
    });
    expect(res.status).toBe(415);
    await nothingStoredFor(res.sessionId);
  });

  it('a .jpg that is really HTML', async () => {
    const html = Buffer.from(`<!doctype html><html><body>${'<p>not a photo</p>'.repeat(200)}</body></html>`);
    const res = await uploadWhole(svc.app, 'carol', {
      projectId: 'p-carol',
      kind: 'image',
      contentType: 'image/jpeg',
      bytes: html,
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(res.body.error.message).toContain('JPEG, PNG, WebP, GIF, AVIF');
    await nothingStoredFor(res.sessionId);
  });

  it('a JPEG declared as PNG, and audio declared as an image', async () => {
    const asPng = await uploadWhole(svc.app, 'carol', {
      projectId: 'p-carol',
      kind: 'image',
      contentType: 'image/png',
      bytes: await noisyJpeg(40, 40),
    });
    expect(asPng.status).toBe(415);
    expect(asPng.body.error.message).toBe('the upload was declared PNG but its bytes are JPEG');
    const wavAsImage = await uploadWhole(svc.app, 'carol', {
      projectId: 'p-carol',
      kind: 'image',
      contentType: 'image/png',
      bytes: await tone(scratch, 'wav', 0.2),
    });
    expect(wavAsImage.status).toBe(415);
    await nothingStoredFor(wavAsImage.sessionId);
  });

  it('a type we do not take, before any byte is sent', async () => {
    for (const [kind, contentType] of [
      ['image', 'image/svg+xml'],
      ['image', 'application/pdf'],
      ['audio', 'image/png'],
      ['audio', 'audio/ogg'],
    ]) {
      const res = await request(svc.app)
        .post('/v1/uploads')
        .set(userHeaders('carol'))
        .send({ projectId: 'p-carol', kind, contentType, size: 1000, sha256: 'a'.repeat(64) })
        .expect(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    }
  });

  it.skipIf(heicReadable())('HEIC where the image library has no HEVC decoder, with advice', async () => {
    const res = await request(svc.app)
      .post('/v1/uploads')
      .set(userHeaders('carol'))
      .send({ projectId: 'p-carol', kind: 'image', contentType: 'image/heic', size: 1000, sha256: 'a'.repeat(64) })
      .expect(415);
    expect(res.body.error.message).toContain('export them as JPEG');
  });
});

describe('a decompression bomb', () => {
  it('a 20000×20000 PNG is refused from its header in under a second, without decoding it', async () => {
    const bomb = pngBomb(20000, 20000);
    expect(bomb.length).toBeLessThan(200_000);
    const created = await createUpload(svc.app, 'carol', {
      projectId: 'p-carol',
      kind: 'image',
      contentType: 'image/png',
      bytes: bomb,
    }).expect(201);
    const id = created.body.id as string;
    for (let start = 0; start < bomb.length; start += LIMITS.chunkBytes) {
      const part = bomb.subarray(start, start + LIMITS.chunkBytes);
      await putChunk(svc.app, 'carol', id, part, start, bomb.length).expect(200);
    }
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const res = await request(svc.app).post(`/v1/uploads/${id}/complete`).set(userHeaders('carol'));
    const ms = performance.now() - started;
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(res.status).toBe(413);
    expect(res.body.error.message).toContain('20000×20000');
    expect(ms).toBeLessThan(1000);
    // Decoding would need 400 MB for its 8-bit pixels.
    expect(rssGrowth).toBeLessThan(100 * 1024 * 1024);
    expect(await objectsUnder(svc, 'users/carol/')).toEqual([]);
  });
});

describe('image normalisation', () => {
  it('applies the EXIF orientation, strips metadata, caps the size and makes a thumbnail', async () => {
    const sideways = await sidewaysJpeg(600, 300);
    const before = await sharp(sideways).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.toString('latin1')).toContain('Secret Photographer');

    const res = await uploadWhole(svc.app, 'alice', {
      projectId: 'p-alice',
      kind: 'image',
      contentType: 'image/jpeg',
      bytes: sideways,
    });
    expect(res.status).toBe(200);
    const upload = res.body.upload;
    // Stored upright (portrait), and no larger than the 256 px cap.
    expect(upload).toMatchObject({ width: 128, height: 256, contentType: 'image/jpeg', cached: false });
    expect(upload.path).toBe(
      `gs://${svc.ctx.buckets.media}/users/alice/projects/p-alice/uploads/${sha256(sideways)}.jpg`,
    );
    const stored = await sharp(await svc.ctx.blobs.get(upload.path)).metadata();
    expect(stored).toMatchObject({ format: 'jpeg', width: 128, height: 256 });
    expect(stored.orientation).toBeUndefined();
    expect(stored.exif).toBeUndefined();
    expect(stored.xmp).toBeUndefined();
    const thumb = await sharp(await svc.ctx.blobs.get(upload.thumbPath)).metadata();
    expect([thumb.width, thumb.height]).toEqual([32, 64]);
  });

  it('flattens transparency and reads WebP, GIF and AVIF', async () => {
    const base = sharp({
      create: { width: 40, height: 30, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0 } },
    });
    for (const [contentType, bytes] of [
      ['image/png', await base.clone().png().toBuffer()],
      ['image/webp', await base.clone().webp().toBuffer()],
      ['image/gif', await base.clone().gif().toBuffer()],
      ['image/avif', await base.clone().avif().toBuffer()],
    ] as const) {
      const res = await uploadWhole(svc.app, 'alice', { projectId: 'p-alice', kind: 'image', contentType, bytes });
      expect(res.status, contentType).toBe(200);
      const stored = sharp(await svc.ctx.blobs.get(res.body.upload.path));
      const { channels, format } = await stored.metadata();
      expect([format, channels]).toEqual(['jpeg', 3]);
      if (contentType === 'image/png') {
        const { dominant } = await stored.stats();
        expect(dominant.r).toBeGreaterThan(240); // transparent became white, not black
      }
    }
  });

  it('stores the same image uploaded twice once, answering cached: true', async () => {
    const jpeg = await noisyJpeg(90, 90);
    const spec = { projectId: 'p-alice', kind: 'image' as const, contentType: 'image/jpeg', bytes: jpeg };
    const first = await uploadWhole(svc.app, 'alice', spec);
    expect(first.body.upload.cached).toBe(false);
    const objects = await objectsUnder(svc, 'users/alice/projects/p-alice/uploads/');
    const second = await uploadWhole(svc.app, 'alice', spec);
    expect(second.status).toBe(200);
    expect(second.body.upload).toEqual({ ...first.body.upload, cached: true });
    expect(await objectsUnder(svc, 'users/alice/projects/p-alice/uploads/')).toEqual(objects);
    const records = await svc.ctx.docs.query(COLLECTIONS.uploads, { where: [['sha256', '==', sha256(jpeg)]] });
    expect(records).toHaveLength(1);
  });
});

describe('audio', () => {
  it('takes MP3 and M4A as they are, with their duration', async () => {
    for (const [ext, contentType] of [
      ['mp3', 'audio/mpeg'],
      ['m4a', 'audio/mp4'],
    ] as const) {
      const bytes = await tone(scratch, ext, 1);
      const res = await uploadWhole(svc.app, 'alice', { projectId: 'p-alice', kind: 'audio', contentType, bytes });
      expect(res.status, ext).toBe(200);
      expect(res.body.upload.path.endsWith(`.${ext}`)).toBe(true);
      expect(res.body.upload.durationSeconds).toBeGreaterThan(0.9);
      expect(sha256(await svc.ctx.blobs.get(res.body.upload.path))).toBe(sha256(bytes));
    }
  });
});

describe('access', () => {
  const body = { projectId: 'p-alice', kind: 'image', contentType: 'image/jpeg', size: 1000, sha256: 'b'.repeat(64) };

  it('401 without credentials', async () => {
    const res = await request(svc.app).post('/v1/uploads').send(body).expect(401);
    expect(res.body.error.code).toBe('unauthenticated');
    await request(svc.app).get('/v1/uploads/up_aaaaaaaaaaaaaaaaaaaaaaaa').expect(401);
  });

  it('403 for a mesh call that says for no user', async () => {
    await request(svc.app)
      .post('/v1/uploads')
      .set(await serviceHeaders('upload'))
      .send(body)
      .expect(403);
  });

  it('422 naming each bad field', async () => {
    const res = await request(svc.app)
      .post('/v1/uploads')
      .set(userHeaders('alice'))
      .send({ projectId: '../etc', kind: 'video', size: -1, sha256: 'xyz' })
      .expect(422);
    const fields = (res.body.error.details.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['contentType', 'kind', 'projectId', 'sha256', 'size']);
  });

  it("404 for another user's project, session or upload", async () => {
    await request(svc.app).post('/v1/uploads').set(userHeaders('bob')).send(body).expect(404);
    const jpeg = await noisyJpeg(50, 50);
    const created = await createUpload(svc.app, 'alice', {
      projectId: 'p-alice',
      kind: 'image',
      contentType: 'image/jpeg',
      bytes: jpeg,
    }).expect(201);
    const id = created.body.id as string;
    const asBob = (r: request.Test) => r.set(userHeaders('bob'));
    await asBob(request(svc.app).get(`/v1/uploads/${id}`)).expect(404);
    await putChunk(svc.app, 'bob', id, jpeg, 0, jpeg.length).expect(404);
    await asBob(request(svc.app).post(`/v1/uploads/${id}/complete`)).expect(404);
    await asBob(request(svc.app).delete(`/v1/uploads/${id}`)).expect(404);
    await putChunk(svc.app, 'alice', id, jpeg, 0, jpeg.length).expect(200);
    const done = await request(svc.app).post(`/v1/uploads/${id}/complete`).set(userHeaders('alice')).expect(200);
    const { uploadId, path } = done.body.upload;

    await asBob(request(svc.app).get('/v1/projects/p-alice/uploads')).expect(404);
    await asBob(request(svc.app).delete(`/v1/projects/p-alice/uploads/${uploadId}`)).expect(404);
    await asBob(request(svc.app).delete(`/v1/projects/p-bob/uploads/${uploadId}`)).expect(404);
    await asBob(request(svc.app).get('/v1/media/signed-url').query({ path })).expect(404);
    const mine = await request(svc.app)
      .get('/v1/media/signed-url')
      .query({ path })
      .set(userHeaders('alice'))
      .expect(200);
    expect(mine.body.url).toContain('sig=');
  });

  it('refuses gs:// paths outside our buckets or with traversal before reading anything', async () => {
    const media = svc.ctx.buckets.media;
    for (const path of [
      `gs://${media}/users/alice/projects/p-alice/uploads/../../../bob/x.jpg`,
      `gs://${media}/users/alice/projects/p-alice/uploads/%2e%2e/x.jpg`,
      'gs://someone-elses-bucket/users/alice/projects/p-alice/uploads/x.jpg',
      '/etc/passwd',
    ]) {
      const res = await request(svc.app).get('/v1/media/signed-url').query({ path }).set(userHeaders('alice'));
      expect(res.status, path).toBe(400);
    }
    const staged = `gs://${media}/users/alice/uploads-staging/up_x/part-000000000000000`;
    await request(svc.app).get('/v1/media/signed-url').query({ path: staged }).set(userHeaders('alice')).expect(404);
  });
});

describe('a project’s uploads', () => {
  it('lists them with links, and deleting one frees its storage', async () => {
    await addProject(svc, 'p-list', 'dave');
    const png = await solidPng(30, 20, '#ff8800');
    const done = await uploadWhole(svc.app, 'dave', {
      projectId: 'p-list',
      kind: 'image',
      contentType: 'image/png',
      bytes: png,
    });
    const quota = await request(svc.app).get('/v1/upload-quota').set(userHeaders('dave')).expect(200);
    expect(quota.body.today.uploads).toBe(1);
    expect(quota.body.storage.usedBytes).toBeGreaterThan(0);
    const listed = await request(svc.app).get('/v1/projects/p-list/uploads').set(userHeaders('dave')).expect(200);
    expect(listed.body.uploads).toHaveLength(1);
    expect(listed.body.uploads[0]).toMatchObject({ uploadId: done.body.upload.uploadId, width: 30, height: 20 });
    expect(listed.body.uploads[0].thumbUrl).toContain('sig=');

    await request(svc.app)
      .delete(`/v1/projects/p-list/uploads/${done.body.upload.uploadId}`)
      .set(userHeaders('dave'))
      .expect(204);
    expect(await objectsUnder(svc, 'users/dave/')).toEqual([]);
    const after = await request(svc.app).get('/v1/upload-quota').set(userHeaders('dave')).expect(200);
    expect(after.body.storage.usedBytes).toBe(0);
    const empty = await request(svc.app).get('/v1/projects/p-list/uploads').set(userHeaders('dave')).expect(200);
    expect(empty.body.uploads).toEqual([]);
  });
});

describe('limits and quotas', () => {
  it('413 for a file over the size limit, declared up front', async () => {
    const res = await request(svc.app)
      .post('/v1/uploads')
      .set(userHeaders('alice'))
      .send({
        projectId: 'p-alice',
        kind: 'image',
        contentType: 'image/jpeg',
        size: LIMITS.imageMaxBytes + 1,
        sha256: 'c'.repeat(64),
      })
      .expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('429 with Retry-After past the daily allowance, the storage quota or the open-session limit', async () => {
    const tight = await createTestService({
      name: 'upload',
      routes: (ctx) =>
        uploadRoutes(ctx, {
          limits: { ...LIMITS, maxOpenSessions: 2 },
          quotas: {
            free: { storageBytes: 1_000_000, dailyUploads: 1, dailyBytes: 1_000_000 },
            pro: { storageBytes: 1000, dailyUploads: 100, dailyBytes: 100_000_000 },
            enterprise: { storageBytes: 100_000_000, dailyUploads: 1000, dailyBytes: 100_000_000 },
          },
        }),
    });
    try {
      await addProject(tight, 'p-erin', 'erin');
      const spec = { projectId: 'p-erin', kind: 'image' as const, contentType: 'image/jpeg' };
      const first = await uploadWhole(tight.app, 'erin', { ...spec, bytes: await noisyJpeg(32, 32) });
      expect(first.status).toBe(200);
      const daily = await createUpload(tight.app, 'erin', { ...spec, bytes: await noisyJpeg(33, 33) }).expect(429);
      expect(Number(daily.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(daily.headers['retry-after'])).toBeLessThanOrEqual(86_400);

      // A pro user with room for 1000 bytes of storage.
      await addProject(tight, 'p-frank', 'frank');
      const big = await noisyJpeg(64, 64);
      const storage = await request(tight.app)
        .post('/v1/uploads')
        .set(userHeaders('frank', 'pro'))
        .send({ ...spec, projectId: 'p-frank', size: big.length, sha256: sha256(big) })
        .expect(429);
      expect(storage.body.error.message).toContain('delete some');
      expect(storage.headers['retry-after']).toBeDefined();

      // Two unfinished uploads at most.
      await addProject(tight, 'p-gina', 'gina');
      for (const n of [1, 2]) {
        await createUpload(tight.app, 'gina', { ...spec, projectId: 'p-gina', bytes: Buffer.alloc(100 + n) }).expect(
          201,
        );
      }
      await createUpload(tight.app, 'gina', { ...spec, projectId: 'p-gina', bytes: Buffer.alloc(200) }).expect(429);
    } finally {
      await tight.close();
    }
  });
});

describe('abandoned sessions', () => {
  it('expire (410 on writes) and the sweep removes them with their chunks', async () => {
    const bytes = await noisyJpeg(70, 70);
    const { body } = await createUpload(svc.app, 'alice', {
      projectId: 'p-alice',
      kind: 'image',
      contentType: 'image/jpeg',
      bytes,
    }).expect(201);
    await putChunk(svc.app, 'alice', body.id, bytes.subarray(0, 2048), 0, bytes.length).expect(200);
    const staged = `users/alice/uploads-staging/${body.id}/`;
    expect(await objectsUnder(svc, staged)).toHaveLength(1);

    clock.offsetMs = 25 * 3600 * 1000;
    try {
      await putChunk(svc.app, 'alice', body.id, bytes.subarray(2048, 4096), 2048, bytes.length).expect(410);
      const status = await request(svc.app).get(`/v1/uploads/${body.id}`).set(userHeaders('alice')).expect(200);
      expect(status.body.status).toBe('expired');
    } finally {
      clock.offsetMs = 0;
    }

    const deps = { docs: svc.ctx.docs, blobs: svc.ctx.blobs, mediaBucket: svc.ctx.buckets.media };
    // Nothing has expired yet by the real clock.
    expect(await sweepExpiredSessions(deps)).toBe(0);
    const removed = await sweepExpiredSessions(deps, new Date(Date.now() + 25 * 3600 * 1000));
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await objectsUnder(svc, staged)).toEqual([]);
    expect(await svc.ctx.docs.get(UPLOAD_SESSIONS, body.id)).toBeNull();
    await request(svc.app).get(`/v1/uploads/${body.id}`).set(userHeaders('alice')).expect(404);
    // Finished uploads outlive their sessions.
    const kept = await svc.ctx.docs.query(COLLECTIONS.uploads, { where: [['owner', '==', 'alice']] });
    expect(kept.length).toBeGreaterThan(0);
    for (const doc of kept) expect(await svc.ctx.blobs.exists((doc.data as { path: string }).path)).toBe(true);
  });
});

describe('GET /openapi.json', () => {
  it('documents the upload protocol from the route schemas', async () => {
    const res = await request(svc.app).get('/openapi.json').expect(200);
    const paths = Object.keys(res.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/v1/uploads', '/v1/uploads/{id}', '/v1/uploads/{id}/complete', '/v1/ingest-url']),
    );
  });
});

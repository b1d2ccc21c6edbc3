import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { COLLECTIONS, serveLocalBlobs } from '@storyreel/shared';
import { createTestService, type TestService, userHeaders } from '@storyreel/shared/testing';
import express from 'express';
import sharp from 'sharp';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderRecord } from '../../src/jobs/movieOutcomes.js';
import { PROJECTS, type ProjectData } from '../../src/projectModel.js';
import { publishRoutes } from '../../src/publishing/index.js';
import { PUBLICATIONS } from '../../src/publishing/publication.js';
import { PUBLIC_MOVIES } from '../../src/publishing/publicMovie.js';

const STORY = 'The keeper of the northern light climbed one hundred steps every evening.';

let svc: TestService;
let blobApp: express.Express;
let seq = 0;

beforeAll(async () => {
  svc = await createTestService({ name: 'compose', routes: publishRoutes });
  // What the gateway serves in front of the local blob store (GCS itself in production).
  blobApp = express().use(serveLocalBlobs(svc.ctx.blobs, svc.ctx.env));
});

afterAll(async () => {
  await svc?.close();
});

const media = () => svc.ctx.buckets.media;
const publicBucket = () => svc.ctx.buckets.public;
const fetchUrl = (url: string) => supertest(blobApp).get(`${new URL(url).pathname}${new URL(url).search}`);

async function seedProject(owner: string): Promise<string> {
  const id = `proj-${++seq}-${owner}`;
  const at = new Date().toISOString();
  const project: ProjectData = {
    owner,
    title: 'The Northern Light',
    story: STORY,
    language: 'en-GB',
    languageDetected: false,
    targetSeconds: 30,
    aspect: '16:9',
    style: 'storybook',
    voice: { id: 'en-us-1', speed: 1 },
    music: null,
    captions: { style: 'karaoke', position: 'bottom' },
    scenes: [],
    storyboard: null,
    createdAt: at,
    updatedAt: at,
  };
  await svc.ctx.docs.set(PROJECTS, id, project);
  return id;
}

async function posterJpeg(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#204060"/><circle cx="${width / 2}" cy="${height / 2}" r="${height / 4}" fill="#f0c040"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg().toBuffer();
}

interface SeededRender {
  jobId: string;
  files: Record<'video' | 'poster' | 'gif' | 'vtt', Buffer | null>;
  paths: Record<'video' | 'poster' | 'gif' | 'vtt', string | null>;
}

/** A finished movie of the project, as the movie job leaves it: objects in the media bucket and a render record. */
async function seedRender(
  projectId: string,
  owner: string,
  options: { createdAt?: string; gif?: boolean; captions?: boolean; poster?: Buffer | null; folderOwner?: string } = {},
): Promise<SeededRender> {
  const jobId = `job-${++seq}`;
  const prefix = `gs://${media()}/users/${options.folderOwner ?? owner}/projects/${projectId}/renders/${jobId}`;
  const files = {
    video: randomBytes(4096),
    poster: options.poster === undefined ? await posterJpeg(1280, 720) : options.poster,
    gif: options.gif ? randomBytes(512) : null,
    vtt: options.captions === false ? null : Buffer.from('WEBVTT\n\n00:00.000 --> 00:02.000\nThe keeper climbed.\n'),
  };
  const paths = {
    video: `${prefix}/movie.mp4`,
    poster: files.poster ? `${prefix}/poster.jpg` : null,
    gif: files.gif ? `${prefix}/movie.gif` : null,
    vtt: files.vtt ? `${prefix}/captions.vtt` : null,
  };
  const { blobs } = svc.ctx;
  await blobs.put(paths.video, files.video, { contentType: 'video/mp4' });
  if (paths.poster && files.poster) await blobs.put(paths.poster, files.poster, { contentType: 'image/jpeg' });
  if (paths.gif && files.gif) await blobs.put(paths.gif, files.gif, { contentType: 'image/gif' });
  if (paths.vtt && files.vtt) await blobs.put(paths.vtt, files.vtt, { contentType: 'text/vtt' });
  const record: RenderRecord = {
    videoPath: paths.video,
    posterPath: paths.poster,
    gifPath: paths.gif,
    captions: paths.vtt ? { srt: `${prefix}/captions.srt`, vtt: paths.vtt, ass: `${prefix}/captions.ass` } : null,
    durationSeconds: 9.6,
    width: 1280,
    height: 720,
    owner,
    projectId,
    jobId,
    options: { quality: 'standard', resolution: '720p', polish: null, gif: Boolean(options.gif) },
    createdAt: options.createdAt ?? new Date().toISOString(),
  };
  await svc.ctx.docs.set(COLLECTIONS.renders, jobId, record);
  return { jobId, files, paths };
}

const publicObjects = async (publicId: string) =>
  (await svc.ctx.blobs.list(`gs://${publicBucket()}/movies/${publicId}/`)).map((o) => o.path);

const publish = (projectId: string, uid: string, body: object = {}) =>
  supertest(svc.app).post(`/v1/projects/${projectId}/publish`).set(userHeaders(uid)).send(body);

const PUBLIC_FIELDS = [
  'status',
  'title',
  'description',
  'language',
  'videoUrl',
  'posterUrl',
  'image',
  'gifUrl',
  'vttUrl',
  'width',
  'height',
  'durationSeconds',
  'publishedAt',
  'updatedAt',
].sort();

describe('POST /v1/projects/:id/publish', () => {
  it('copies the latest movie to the public bucket and writes only public fields', async () => {
    const projectId = await seedProject('alice');
    await seedRender(projectId, 'alice', { createdAt: '2026-11-01T00:00:00.000Z' });
    const latest = await seedRender(projectId, 'alice', { gif: true, createdAt: '2026-11-02T00:00:00.000Z' });

    const res = await publish(projectId, 'alice').expect(200);
    const { publicId, shareUrl, videoUrl, jobId } = res.body;
    expect(publicId).toMatch(/^[A-Za-z0-9_-]{22}$/); // 16 random bytes
    expect(shareUrl).toBe(`${svc.ctx.env.PUBLIC_BASE_URL}/share/${publicId}`);
    expect(jobId).toBe(latest.jobId);

    const objects = await publicObjects(publicId);
    const folder = /^gs:\/\/[^/]+\/movies\/[^/]+\/([^/]+)\//.exec(objects[0] ?? '')?.[1];
    expect(objects.sort()).toEqual(
      ['captions.vtt', 'movie.gif', 'movie.mp4', 'og.jpg', 'poster.jpg'].map(
        (name) => `gs://${publicBucket()}/movies/${publicId}/${folder}/${name}`,
      ),
    );
    const copied = (name: string) => svc.ctx.blobs.get(`gs://${publicBucket()}/movies/${publicId}/${folder}/${name}`);
    expect((await copied('movie.mp4')).equals(latest.files.video as Buffer)).toBe(true);
    expect((await copied('poster.jpg')).equals(latest.files.poster as Buffer)).toBe(true);
    expect((await copied('movie.gif')).equals(latest.files.gif as Buffer)).toBe(true);
    expect((await copied('captions.vtt')).equals(latest.files.vtt as Buffer)).toBe(true);
    const og = await sharp(await copied('og.jpg')).metadata();
    expect([og.format, og.width, og.height]).toEqual(['jpeg', 1200, 630]);

    const doc = await svc.ctx.docs.get<Record<string, unknown>>(PUBLIC_MOVIES, publicId);
    expect(Object.keys(doc?.data ?? {}).sort()).toEqual(PUBLIC_FIELDS);
    const stored = JSON.stringify(doc?.data);
    for (const secret of ['alice', projectId, STORY, latest.jobId, media()]) expect(stored).not.toContain(secret);
    expect(doc?.data).toMatchObject({
      status: 'published',
      title: 'The Northern Light',
      description: 'A 10-second movie made with storyreel.',
      language: 'en-GB',
      width: 1280,
      height: 720,
      durationSeconds: 9.6,
      image: { width: 1200, height: 630 },
    });
    // Durable URLs on the public route, for exactly the copied objects.
    const base = `${svc.ctx.env.PUBLIC_BASE_URL}/public/${publicBucket()}/movies/${publicId}/${folder}`;
    expect(videoUrl).toBe(`${base}/movie.mp4`);
    expect(doc?.data).toMatchObject({
      videoUrl: `${base}/movie.mp4`,
      posterUrl: `${base}/poster.jpg`,
      gifUrl: `${base}/movie.gif`,
      vttUrl: `${base}/captions.vtt`,
      image: { url: `${base}/og.jpg` },
    });
    const served = await fetchUrl(videoUrl).buffer(true).expect(200);
    expect(served.headers['content-type']).toBe('video/mp4');

    const again = await supertest(svc.app)
      .get(`/v1/projects/${projectId}/publish`)
      .set(userHeaders('alice'))
      .expect(200);
    expect(again.body).toEqual(res.body);
  });

  it('publishes a chosen render with the title and description given', async () => {
    const projectId = await seedProject('alice');
    const chosen = await seedRender(projectId, 'alice', { createdAt: '2026-11-01T00:00:00.000Z', captions: false });
    await seedRender(projectId, 'alice', { createdAt: '2026-11-02T00:00:00.000Z' });
    const res = await publish(projectId, 'alice', {
      jobId: chosen.jobId,
      title: '  Light, at last  ',
      description: 'Our first one.',
    }).expect(200);
    expect(res.body.jobId).toBe(chosen.jobId);
    const doc = await svc.ctx.docs.get<Record<string, unknown>>(PUBLIC_MOVIES, res.body.publicId);
    expect(doc?.data).toMatchObject({
      title: 'Light, at last',
      description: 'Our first one.',
      vttUrl: null,
      gifUrl: null,
    });
  });

  it("answers 404 for another user's project or render, and publishes nothing", async () => {
    const alices = await seedProject('alice');
    await seedRender(alices, 'alice');
    const bobs = await seedProject('bob');
    const bobsRender = await seedRender(bobs, 'bob');
    const before = await svc.ctx.blobs.list(`gs://${publicBucket()}/`);

    await publish(alices, 'bob').expect(404);
    await supertest(svc.app).get(`/v1/projects/${alices}/publish`).set(userHeaders('bob')).expect(404);
    await supertest(svc.app).delete(`/v1/projects/${alices}/publish`).set(userHeaders('bob')).expect(404);
    const res = await publish(alices, 'alice', { jobId: bobsRender.jobId }).expect(404);
    expect(res.body.error.code).toBe('not_found');
    expect(await svc.ctx.blobs.list(`gs://${publicBucket()}/`)).toEqual(before);
  });

  it("refuses a render whose files lie outside the owner's project folder", async () => {
    const projectId = await seedProject('alice');
    // A record naming bob's files must not become a way to publish them.
    const render = await seedRender(projectId, 'alice', { folderOwner: 'bob' });
    const before = await svc.ctx.blobs.list(`gs://${publicBucket()}/`);
    await publish(projectId, 'alice', { jobId: render.jobId }).expect(404);
    expect(await svc.ctx.blobs.list(`gs://${publicBucket()}/`)).toEqual(before);
  });

  it('answers 409 while the project has no finished movie, and 401 without a user', async () => {
    const projectId = await seedProject('alice');
    const res = await publish(projectId, 'alice').expect(409);
    expect(res.body.error.message).toMatch(/make the movie first/);
    await supertest(svc.app).post(`/v1/projects/${projectId}/publish`).send({}).expect(401);
  });

  it('lists the failing fields of a bad request', async () => {
    const projectId = await seedProject('alice');
    const res = await publish(projectId, 'alice', { title: '   ', jobId: '../x' }).expect(422);
    expect(JSON.stringify(res.body.error.details)).toMatch(/title/);
    expect(JSON.stringify(res.body.error.details)).toMatch(/jobId/);
  });

  it("uses the poster as the preview, at the movie's size, when it cannot make a 1200x630 one", async () => {
    const projectId = await seedProject('alice');
    await seedRender(projectId, 'alice', { poster: Buffer.from('not a jpeg at all') });
    const res = await publish(projectId, 'alice').expect(200);
    const doc = await svc.ctx.docs.get<{ posterUrl: string; image: unknown }>(PUBLIC_MOVIES, res.body.publicId);
    expect(doc?.data.image).toEqual({ url: doc?.data.posterUrl, width: 1280, height: 720 });
  });

  it('publishes a movie without a poster with no preview image', async () => {
    const projectId = await seedProject('alice');
    await seedRender(projectId, 'alice', { poster: null });
    const res = await publish(projectId, 'alice').expect(200);
    const doc = await svc.ctx.docs.get(PUBLIC_MOVIES, res.body.publicId);
    expect(doc?.data).toMatchObject({ posterUrl: null, image: null });
    expect((await publicObjects(res.body.publicId)).map((p) => p.split('/').pop()).sort()).toEqual([
      'captions.vtt',
      'movie.mp4',
    ]);
  });

  it('answers a repeated request with the same Idempotency-Key once', async () => {
    const projectId = await seedProject('alice');
    await seedRender(projectId, 'alice');
    const key = `publish-${projectId}`;
    const first = await publish(projectId, 'alice').set('idempotency-key', key).expect(200);
    const second = await publish(projectId, 'alice').set('idempotency-key', key).expect(200);
    expect(second.body).toEqual(first.body);
    expect(await publicObjects(first.body.publicId)).toHaveLength(4);
  });
});

describe('publishing again', () => {
  it('keeps the share link, replaces the files and keeps the first publish time', async () => {
    const projectId = await seedProject('alice');
    const older = await seedRender(projectId, 'alice', { createdAt: '2026-11-01T00:00:00.000Z' });
    await seedRender(projectId, 'alice', { createdAt: '2026-11-02T00:00:00.000Z' });
    const first = (await publish(projectId, 'alice').expect(200)).body;
    const firstObjects = await publicObjects(first.publicId);

    const second = (await publish(projectId, 'alice', { jobId: older.jobId, title: 'Recut' }).expect(200)).body;
    expect(second.publicId).toBe(first.publicId);
    expect(second.shareUrl).toBe(first.shareUrl);
    expect(second.videoUrl).not.toBe(first.videoUrl);
    expect(second.publishedAt).toBe(first.publishedAt);

    const objects = await publicObjects(second.publicId);
    expect(objects).toHaveLength(firstObjects.length);
    expect(objects.filter((o) => firstObjects.includes(o))).toEqual([]);
    await fetchUrl(first.videoUrl).expect(404);
    const served = await fetchUrl(second.videoUrl).buffer(true).expect(200);
    expect(Buffer.from(served.body).equals(older.files.video as Buffer)).toBe(true);
    const doc = await svc.ctx.docs.get<{ title: string }>(PUBLIC_MOVIES, second.publicId);
    expect(doc?.data.title).toBe('Recut');
  });
});

describe('DELETE /v1/projects/:id/publish', () => {
  it('removes the public files, leaves a tombstone, and a later publish gets a new link', async () => {
    const projectId = await seedProject('alice');
    await seedRender(projectId, 'alice', { gif: true });
    const published = (await publish(projectId, 'alice').expect(200)).body;
    expect(await publicObjects(published.publicId)).toHaveLength(5);

    await supertest(svc.app).delete(`/v1/projects/${projectId}/publish`).set(userHeaders('alice')).expect(204);
    expect(await publicObjects(published.publicId)).toEqual([]);
    const tombstone = await svc.ctx.docs.get<Record<string, unknown>>(PUBLIC_MOVIES, published.publicId);
    expect(Object.keys(tombstone?.data ?? {}).sort()).toEqual(['removedAt', 'status']);
    expect(tombstone?.data.status).toBe('removed');
    expect(await svc.ctx.docs.get(PUBLICATIONS, projectId)).toBeNull();
    await fetchUrl(published.videoUrl).expect(404);
    await supertest(svc.app).get(`/v1/projects/${projectId}/publish`).set(userHeaders('alice')).expect(404);
    // Unpublishing what is not published is already done.
    await supertest(svc.app).delete(`/v1/projects/${projectId}/publish`).set(userHeaders('alice')).expect(204);

    const again = (await publish(projectId, 'alice').expect(200)).body;
    expect(again.publicId).not.toBe(published.publicId);
    expect((await svc.ctx.docs.get<{ status: string }>(PUBLIC_MOVIES, published.publicId))?.data.status).toBe(
      'removed',
    );
  });
});

describe('URLs', () => {
  it("keep a published movie playable after the draft's signed URL has expired", async () => {
    const projectId = await seedProject('alice');
    const render = await seedRender(projectId, 'alice');
    const draftUrl = await svc.ctx.blobs.signedUrl(render.paths.video as string, 1);
    await fetchUrl(draftUrl).expect(200);
    const { videoUrl } = (await publish(projectId, 'alice').expect(200)).body;

    const deadline = Date.now() + 4000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await sleep(250);
      status = (await fetchUrl(draftUrl)).status;
    }
    expect(status).toBe(403);
    const served = await fetchUrl(videoUrl).buffer(true).expect(200);
    expect(Buffer.from(served.body).equals(render.files.video as Buffer)).toBe(true);
    expect(new URL(videoUrl).search).toBe('');
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestService,
  integratedLoudness,
  probe,
  serviceHeaders,
  type TestService,
  userHeaders,
} from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { polishRoutes } from '../src/routes.js';
import { MOVIE, MOVIE_FPS, MOVIE_SIZE, RENDERS, uploadMovie } from './movieFixture.js';

let svc: TestService;
let work: string;

beforeAll(async () => {
  svc = await createTestService({ name: 'polish', routes: polishRoutes });
  work = await mkdtemp(join(tmpdir(), 'polish-routes-test-'));
  await uploadMovie(svc.ctx.blobs, MOVIE);
  await uploadMovie(svc.ctx.blobs, `${RENDERS}/silent.mp4`, { audio: false });
});
afterAll(async () => {
  await svc.close();
  await rm(work, { recursive: true, force: true });
});

const sha256 = async (gsPath: string) =>
  createHash('sha256')
    .update(await svc.ctx.blobs.get(gsPath))
    .digest('hex');

/** A polished movie, downloaded for ffprobe. */
async function download(gsPath: string): Promise<string> {
  const file = join(work, `${createHash('sha1').update(gsPath).digest('hex')}.mp4`);
  await svc.ctx.blobs.getToFile(gsPath, file);
  return file;
}

const asAlice = (body: object, query = '') =>
  supertest(svc.app).post(`/v1/polish${query}`).set(userHeaders('alice')).send(body);

describe('POST /v1/polish: who may polish what', () => {
  it('needs a signed-in user or a mesh service', async () => {
    const res = await supertest(svc.app).post('/v1/polish').send({ videoPath: MOVIE, denoise: 'light' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it("answers 404 for another user's movie, also when a service asks for them", async () => {
    const bob = await supertest(svc.app)
      .post('/v1/polish')
      .set(userHeaders('bob'))
      .send({ videoPath: MOVIE, denoise: 'light' });
    expect(bob.status).toBe(404);
    expect(bob.body.error.code).toBe('not_found');
    const forBob = await supertest(svc.app)
      .post('/v1/polish')
      .set(await serviceHeaders('polish', { from: 'compose', onBehalfOf: 'bob' }))
      .send({ videoPath: MOVIE, denoise: 'light' });
    expect(forBob.status).toBe(404);
  });

  it('refuses other buckets and keys that climb out of their folder', async () => {
    for (const videoPath of [
      'gs://someone-elses-bucket/users/alice/movie.mp4',
      'gs://storyreel-public/movies/x/movie.mp4',
      'gs://storyreel-media/users/alice/../bob/projects/p/movie.mp4',
      'gs://storyreel-media/users/alice/%2e%2e/bob/movie.mp4',
    ]) {
      const res = await asAlice({ videoPath, denoise: 'light' });
      expect(res.status, videoPath).toBe(400);
      expect(res.body.error.code).toBe('invalid_argument');
    }
  });

  it('says what is wrong with the options (422 naming the field)', async () => {
    const none = await asAlice({ videoPath: MOVIE });
    expect(none.status).toBe(422);
    expect(none.body.error.details.fields[0].field).toBe('upscale');
    const bad = await asAlice({ videoPath: MOVIE, upscale: '8k', denoise: 'max', loudness: { targetLufs: 3 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(
      expect.arrayContaining(['upscale', 'denoise', 'loudness.targetLufs']),
    );
    const missing = await asAlice({ videoPath: `${RENDERS}/none.mp4`, denoise: 'light' });
    expect(missing.status).toBe(404);
    const silent = await asAlice({ videoPath: `${RENDERS}/silent.mp4`, loudness: {} });
    expect(silent.status).toBe(422);
    expect(silent.body.error.details.fields[0].field).toBe('loudness');
  });
});

describe('POST /v1/polish: the work', () => {
  it('upscales, interpolates to 60 fps, denoises and re-normalises loudness into a new movie beside the original', async () => {
    const before = await sha256(MOVIE);
    const res = await asAlice(
      { videoPath: MOVIE, upscale: '720p', interpolate: true, denoise: 'light', loudness: { targetLufs: -14 } },
      '?jobId=polish-1',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sourcePath: MOVIE,
      width: 1280,
      height: 720,
      fps: 60,
      cached: false,
      upscaler: 'ffmpeg-lanczos-unsharp',
      applied: { upscale: '720p', interpolate: true, denoise: 'light', loudness: { targetLufs: -14 } },
    });
    expect(res.body.videoPath).toMatch(new RegExp(`^${RENDERS}/polished/[0-9a-f]{32}/movie\\.mp4$`));

    const file = await download(res.body.videoPath);
    const probed = await probe(file);
    const video = probed.streams.find((s) => s.codec_type === 'video');
    const audio = probed.streams.find((s) => s.codec_type === 'audio');
    expect(video).toMatchObject({ codec_name: 'h264', width: 1280, height: 720, r_frame_rate: '60/1' });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
    expect(Number(probed.format.duration)).toBeCloseTo(2, 0);
    expect(Math.abs((await integratedLoudness(file)) + 14)).toBeLessThanOrEqual(1);

    // The original is untouched and still what it was.
    expect(await sha256(MOVIE)).toBe(before);
    const originalFile = await download(MOVIE);
    expect(await integratedLoudness(originalFile)).toBeLessThan(-24);
    const original = await probe(originalFile);
    expect(original.streams.find((s) => s.codec_type === 'video')).toMatchObject({
      ...MOVIE_SIZE,
      r_frame_rate: `${MOVIE_FPS}/1`,
    });

    const job = await supertest(svc.app).get('/v1/polishes/polish-1').set(userHeaders('alice'));
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ status: 'succeeded', stage: 'done', percent: 100, result: res.body });
    expect(job.body.owner).toBeUndefined();
    expect((await supertest(svc.app).get('/v1/polishes/polish-1').set(userHeaders('bob'))).status).toBe(404);
  });

  it('answers a repeat from the artefact it made, and makes a new one for other options', async () => {
    const body = { videoPath: MOVIE, upscale: '720p', interpolate: true, denoise: 'light', loudness: {} };
    const first = await asAlice(body);
    expect(first.body.cached).toBe(true);
    const other = await asAlice({ videoPath: MOVIE, loudness: { targetLufs: -16 } });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ width: 160, height: 90, fps: MOVIE_FPS, cached: false });
    expect(other.body.videoPath).not.toBe(first.body.videoPath);
    const file = await download(other.body.videoPath);
    expect(Math.abs((await integratedLoudness(file)) + 16)).toBeLessThanOrEqual(1);
  });

  it("polishes for compose's movie job, on behalf of the movie's owner", async () => {
    const res = await supertest(svc.app)
      .post('/v1/polish')
      .set(await serviceHeaders('polish', { from: 'compose', onBehalfOf: 'alice' }))
      .send({ videoPath: MOVIE, interpolate: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ width: 160, height: 90, fps: 60, cached: false });
    const video = (await probe(await download(res.body.videoPath))).streams.find((s) => s.codec_type === 'video');
    expect(video?.r_frame_rate).toBe('60/1');
  });

  it('refuses to upscale a movie to a size it already has', async () => {
    const res = await asAlice({ videoPath: MOVIE, upscale: '720p' });
    expect(res.status).toBe(200);
    const polished = res.body.videoPath as string;
    const again = await asAlice({ videoPath: polished, upscale: '720p' });
    expect(again.status).toBe(422);
    expect(again.body.error.details.fields[0]).toEqual({ field: 'upscale', message: 'the movie is 1280x720' });
  });
});

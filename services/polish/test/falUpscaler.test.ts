import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestService,
  type FakeProviderServer,
  fakeKeyResolver,
  fakeProviderServer,
  fixturesBeside,
  ONE_TRY,
  probe,
  type TestService,
  userHeaders,
} from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { falUpscaler } from '../src/adapters/falUpscaler.js';
import { polishRoutes } from '../src/routes.js';
import { MOVIE, makeMovie, uploadMovie } from './movieFixture.js';

/**
 * The fal adapter against fal's queue API played back on loopback: submit,
 * status polled until COMPLETED, result, then the video it links to. The
 * answers follow fal's documented shapes for fal-ai/video-upscaler; the
 * adapter has not been run against fal itself.
 */

const fixture = fixturesBeside(import.meta.url);
const REQUEST = '3f2b9a7c-1e4d-4c1a-9a5e-6f7d2c9b8e01';
const BOBS_MOVIE = 'gs://storyreel-media/users/bob/projects/p2/renders/j/r/movie.mp4';

let work: string;
let upscaled: Buffer;
let server: FakeProviderServer | undefined;
let svc: TestService | undefined;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'polish-fal-test-'));
  // What fal sends back: a larger picture with no sound.
  upscaled = await readFile(
    await makeMovie(join(work, 'upscaled.mp4'), { audio: false, size: { width: 640, height: 360 } }),
  );
});
afterEach(async () => {
  await svc?.close();
  await server?.close();
  svc = undefined;
  server = undefined;
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** fal's queue, answering the result with `result` (the recorded one pointing at the fake's own file by default). */
async function fakeFal(result?: (base: string) => unknown) {
  let polls = 0;
  server = await fakeProviderServer((req) => {
    if (req.method === 'POST' && req.path === '/fal-ai/video-upscaler') {
      return { json: fixture('fal-video-upscaler-submit') };
    }
    if (req.path === `/fal-ai/video-upscaler/requests/${REQUEST}/status`) {
      polls += 1;
      return { json: { status: polls < 2 ? 'IN_PROGRESS' : 'COMPLETED', request_id: REQUEST } };
    }
    if (req.path === `/fal-ai/video-upscaler/requests/${REQUEST}`) {
      const recorded = fixture<{ video: { url: string } }>('fal-video-upscaler-result');
      const base = (server as FakeProviderServer).url;
      const local = { ...recorded, video: { ...recorded.video, url: `${base}/files/upscaled_output.mp4` } };
      return { json: result ? result(base) : local };
    }
    if (req.path === '/files/upscaled_output.mp4') return { body: upscaled, headers: { 'content-type': 'video/mp4' } };
    return { status: 404, json: { detail: 'Not Found' } };
  });
  return server;
}

async function polishService(fal: FakeProviderServer) {
  const keys = fakeKeyResolver({ alice: { fal: 'alices-fal-key' } }, {});
  svc = await createTestService({
    name: 'polish',
    routes: (ctx) =>
      polishRoutes(ctx, {
        upscaler: falUpscaler({
          keys,
          blobs: ctx.blobs,
          queueUrl: fal.url,
          policy: ONE_TRY,
          pollIntervalMs: 10,
          download: { testOnlyLoopbackExceptions: [{ address: '127.0.0.1', port: fal.port }] },
        }),
      }),
  });
  await uploadMovie(svc.ctx.blobs, MOVIE);
  await uploadMovie(svc.ctx.blobs, BOBS_MOVIE);
  return { svc, keys };
}

const polish = (service: TestService, uid: string, videoPath: string) =>
  supertest(service.app).post('/v1/polish').set(userHeaders(uid)).send({ videoPath, upscale: '720p' });

describe('the fal upscaler', () => {
  it("upscales through fal's queue with the user's key, and keeps the original's sound", async () => {
    const fal = await fakeFal();
    const { svc, keys } = await polishService(fal);
    const res = await polish(svc, 'alice', MOVIE);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ width: 1280, height: 720, upscaler: 'fal-ai/video-upscaler', cached: false });

    const submit = fal.received.find((r) => r.method === 'POST');
    expect(submit?.headers.authorization).toBe('Key alices-fal-key');
    const input = submit?.json<{ video_url: string; scale: number }>();
    // 90 lines to 720: the endpoint's largest factor.
    expect(input?.scale).toBe(8);
    // fal reads the movie through a signed URL of our blob store.
    expect(input?.video_url).toMatch(/\/blobs\/storyreel-media\/users\/alice\/.+movie\.mp4\?expires=\d+&sig=/);
    expect(fal.received.filter((r) => r.path.endsWith('/status')).length).toBeGreaterThanOrEqual(2);
    expect(keys.usage).toEqual([{ provider: 'fal', userId: 'alice', units: 1 }]);

    const file = join(work, `${createHash('sha1').update(res.body.videoPath).digest('hex')}.mp4`);
    await svc.ctx.blobs.getToFile(res.body.videoPath, file);
    const streams = (await probe(file)).streams;
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1280, height: 720 });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
  });

  it('answers 503 when neither the user nor the platform has a fal key, without calling fal', async () => {
    const fal = await fakeFal();
    const { svc } = await polishService(fal);
    const res = await polish(svc, 'bob', BOBS_MOVIE);
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/fal/) });
    expect(fal.received).toEqual([]);
  });

  it('refuses to download a video fal links at a private address, or an answer without one (503)', async () => {
    for (const [answer, message] of [
      [() => ({ video: { url: 'http://10.0.0.7/upscaled_output.mp4' } }), 'the video fal made could not be fetched'],
      [() => ({ images: [] }), 'fal answered without an upscaled video'],
    ] as const) {
      const fal = await fakeFal(answer);
      const { svc } = await polishService(fal);
      const res = await polish(svc, 'alice', MOVIE);
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'unavailable', message });
      expect(await svc.ctx.blobs.list(MOVIE.replace(/movie\.mp4$/, 'polished/'))).toEqual([]);
      await svc.close();
      await fal.close();
    }
    svc = undefined;
    server = undefined;
  });
});

import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderCredential, ProviderKeyResolver } from '@storyreel/shared';
import { createTestService, probe, type TestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { falUpscaler } from '../src/adapters/falUpscaler.js';
import { polishRoutes } from '../src/routes.js';
import { MOVIE, makeMovie, uploadMovie } from './movieFixture.js';

/**
 * The fal adapter against a fake of fal's queue API on loopback (submit,
 * status polled until COMPLETED, result, then the result file), answering as
 * fal's docs for fal-ai/video-upscaler describe. Not verified against fal
 * itself: no test reaches the network.
 */

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

let svc: TestService;
let fal: Server;
let falBase: string;
let work: string;
let upscaledFile: string;
const seen: Seen[] = [];
const usage: { uid: string | undefined; credential: ProviderCredential }[] = [];

const keys: ProviderKeyResolver = {
  async resolve(provider, uid) {
    return uid === 'alice' ? { provider, apiKey: 'alices-fal-key', source: 'user' } : undefined;
  },
  async recordUsage(credential, uid) {
    usage.push({ credential, uid });
  },
};

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

function startFakeFal(): Server {
  let statusPolls = 0;
  return createServer(async (req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      body: await readBody(req),
    });
    const json = (value: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-fal-request-id': 'req-1' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'POST' && req.url === '/fal-ai/video-upscaler') {
      return json({
        request_id: 'req-1',
        status_url: `${falBase}/fal-ai/video-upscaler/requests/req-1/status`,
        response_url: `${falBase}/fal-ai/video-upscaler/requests/req-1`,
      });
    }
    if (req.method === 'GET' && req.url?.startsWith('/fal-ai/video-upscaler/requests/req-1/status')) {
      statusPolls += 1;
      return json({ status: statusPolls < 2 ? 'IN_PROGRESS' : 'COMPLETED', request_id: 'req-1' });
    }
    if (req.method === 'GET' && req.url === '/fal-ai/video-upscaler/requests/req-1') {
      return json({
        video: { url: `${falBase}/files/upscaled.mp4`, content_type: 'video/mp4', file_name: 'upscaled.mp4' },
      });
    }
    if (req.method === 'GET' && req.url === '/files/upscaled.mp4') {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      createReadStream(upscaledFile).pipe(res);
      return;
    }
    res.writeHead(404).end();
  });
}

/** fal's client and the result download, pointed at the fake. */
const fakeFetch: typeof fetch = (input, init) =>
  fetch(String(input instanceof Request ? input.url : input).replace('https://queue.fal.run', falBase), init);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'polish-fal-test-'));
  // What fal sends back: a larger picture with no sound.
  upscaledFile = await makeMovie(join(work, 'upscaled.mp4'), { audio: false, size: { width: 640, height: 360 } });
  fal = startFakeFal().listen(0, '127.0.0.1');
  await once(fal, 'listening');
  falBase = `http://127.0.0.1:${(fal.address() as AddressInfo).port}`;
  svc = await createTestService({
    name: 'polish',
    routes: (ctx) =>
      polishRoutes(ctx, { upscaler: falUpscaler({ keys, blobs: ctx.blobs, fetch: fakeFetch, pollIntervalMs: 10 }) }),
  });
  await uploadMovie(svc.ctx.blobs, MOVIE);
  await uploadMovie(svc.ctx.blobs, 'gs://storyreel-media/users/bob/projects/p2/renders/j/movie.mp4');
});
afterAll(async () => {
  await svc.close();
  fal.close();
  await rm(work, { recursive: true, force: true });
});

describe('the fal upscaler', () => {
  it("upscales through fal's queue with the user's key, and keeps the original's sound", async () => {
    const res = await supertest(svc.app)
      .post('/v1/polish')
      .set(userHeaders('alice'))
      .send({ videoPath: MOVIE, upscale: '720p' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ width: 1280, height: 720, upscaler: 'fal-ai/video-upscaler', cached: false });

    const submit = seen.find((s) => s.method === 'POST');
    expect(submit?.authorization).toBe('Key alices-fal-key');
    const input = submit?.body as { video_url: string; scale: number };
    // 90 lines to 720: the endpoint's largest factor.
    expect(input.scale).toBe(8);
    // fal reads the movie through a signed URL of our blob store.
    expect(input.video_url).toMatch(/\/blobs\/storyreel-media\/users\/alice\/.+movie\.mp4\?expires=\d+&sig=/);
    expect(seen.filter((s) => s.url.includes('/requests/req-1/status')).length).toBeGreaterThanOrEqual(2);
    expect(usage).toEqual([{ uid: 'alice', credential: expect.objectContaining({ source: 'user' }) }]);

    const file = join(work, `${createHash('sha1').update(res.body.videoPath).digest('hex')}.mp4`);
    await svc.ctx.blobs.getToFile(res.body.videoPath, file);
    const streams = (await probe(file)).streams;
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1280, height: 720 });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
  });

  it('answers 503 when neither the user nor the platform has a fal key', async () => {
    const res = await supertest(svc.app)
      .post('/v1/polish')
      .set(userHeaders('bob'))
      .send({ videoPath: 'gs://storyreel-media/users/bob/projects/p2/renders/j/movie.mp4', upscale: '720p' });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('unavailable');
    expect(res.body.error.message).toMatch(/fal/);
  });
});

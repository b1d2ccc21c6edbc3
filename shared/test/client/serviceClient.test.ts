import { setTimeout as sleep } from 'node:timers/promises';
import {
  AppError,
  conflict,
  createServiceClient,
  defineRoute,
  hmacMeshTokens,
  type RetryPolicy,
  type UserCaller,
} from '@storyreel/shared';
import { createTestService, TEST_MESH_SECRET, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePort, json, loopbackServer } from './loopback.js';

const FAST: RetryPolicy = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterSeconds: 5 };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A caller service whose mesh points `music` at the given URL. */
async function callerService(musicUrl: string, routes: Parameters<typeof createTestService>[0]['routes'] = () => []) {
  const svc = await createTestService({
    name: 'compose',
    routes,
    envOverrides: { SERVICE_URLS: JSON.stringify({ music: musicUrl }) },
  });
  cleanups.push(() => svc.close());
  return svc;
}

async function downstream(reply: Parameters<typeof loopbackServer>[0]) {
  const server = await loopbackServer(reply);
  cleanups.push(() => server.close());
  return server;
}

const failure = (err: unknown) => err as AppError;

describe('service client: retries', () => {
  it('never retries a 4xx and keeps the downstream error as it was', async () => {
    const server = await downstream((_r, _n, res) =>
      json(res, 422, {
        error: {
          code: 'invalid_argument',
          message: 'mood is not one we know',
          details: { fields: [{ field: 'mood' }] },
        },
      }),
    );
    const client = createServiceClient((await callerService(server.url)).ctx, 'music', FAST);
    const err = failure(await client.post('/v1/music', { mood: 'zzz' }).catch((e) => e));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'invalid_argument', status: 422, message: 'mood is not one we know' });
    expect(err.details).toEqual({ fields: [{ field: 'mood' }] });
    expect(server.received).toHaveLength(1);
  });

  it('retries a 503 and succeeds, sending the same idempotency key each time', async () => {
    const server = await downstream((_r, n, res) =>
      n < 3
        ? json(res, 503, { error: { code: 'unavailable', message: 'warming up' } })
        : json(res, 200, { wav: 'gs://m/a.wav' }),
    );
    const client = createServiceClient((await callerService(server.url)).ctx, 'music', FAST);
    expect(await client.post('/v1/music', { mood: 'calm' }, { idempotencyKey: 'job-1:music' })).toEqual({
      wav: 'gs://m/a.wav',
    });
    expect(server.received).toHaveLength(3);
    expect(new Set(server.received.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['job-1:music']));
    expect(server.received.every((r) => r.body === '{"mood":"calm"}')).toBe(true);
  });

  it('waits as long as Retry-After asks, and does not retry when that is too long', async () => {
    const server = await downstream((_r, n, res) =>
      n === 1
        ? json(res, 429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '1' })
        : json(res, 200, { ok: n }),
    );
    const client = createServiceClient((await callerService(server.url)).ctx, 'music', FAST);
    const started = Date.now();
    expect(await client.get('/v1/x')).toEqual({ ok: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    const quota = await downstream((_r, _n, res) =>
      json(res, 429, { error: { code: 'rate_limited', message: 'daily quota used' } }, { 'retry-after': '3600' }),
    );
    const client2 = createServiceClient((await callerService(quota.url)).ctx, 'music', FAST);
    const err = failure(await client2.get('/v1/x').catch((e) => e));
    expect(err).toMatchObject({ status: 429, retryAfterSeconds: 3600, message: 'daily quota used' });
    expect(quota.received).toHaveLength(1);
  });

  it('times out each attempt and ends with deadline_exceeded', async () => {
    const server = await downstream(async (_r, _n, res) => {
      await sleep(1500);
      json(res, 200, {});
    });
    const client = createServiceClient((await callerService(server.url)).ctx, 'music', { ...FAST, attempts: 2 });
    const started = Date.now();
    const err = failure(await client.get('/v1/slow', { timeoutMs: 200 }).catch((e) => e));
    expect(err).toMatchObject({ code: 'deadline_exceeded', status: 504 });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(server.received).toHaveLength(2);
  });

  it('maps a refused connection to 503 unavailable after its retries', async () => {
    const port = await freePort();
    const client = createServiceClient((await callerService(`http://127.0.0.1:${port}`)).ctx, 'music', FAST);
    const err = failure(await client.get('/v1/x').catch((e) => e));
    expect(err).toMatchObject({ code: 'unavailable', status: 503, message: 'music is unavailable' });
  });
});

describe('service client: circuit breaker', () => {
  it('opens after repeated 5xx and then fails fast without calling the downstream', async () => {
    const server = await downstream((_r, _n, res) =>
      json(res, 503, { error: { code: 'unavailable', message: 'down' } }),
    );
    const client = createServiceClient((await callerService(server.url)).ctx, 'music', FAST);
    const first = failure(await client.get('/v1/x').catch((e) => e));
    expect(first).toMatchObject({ status: 503, message: 'down' });
    expect(server.received).toHaveLength(3);
    // Attempts 4 and 5 fail too: 5 calls, all failures, the breaker opens before a 6th.
    const second = failure(await client.get('/v1/x').catch((e) => e));
    // Refused unseen, yet it says what the downstream last answered.
    expect(second).toMatchObject({
      code: 'unavailable',
      status: 503,
      message: 'music is unavailable (its last error: down)',
    });
    expect(server.received).toHaveLength(5);
    const started = Date.now();
    const third = failure(await client.get('/v1/x').catch((e) => e));
    expect(Date.now() - started).toBeLessThan(50);
    expect(third).toMatchObject({ code: 'unavailable', message: 'music is unavailable (its last error: down)' });
    expect(third.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(third.retryAfterSeconds).toBeLessThanOrEqual(10);
    expect(server.received).toHaveLength(5);
  });

  it('an upstream route answers 503 with Retry-After while the breaker is open', async () => {
    const server = await downstream((_r, _n, res) => json(res, 500, { error: { code: 'internal', message: 'boom' } }));
    const svc = await callerService(server.url, (ctx) => [
      defineRoute({
        method: 'get',
        path: '/v1/music-proxy',
        summary: 'proxy',
        auth: 'user',
        handler: () => ctx.client('music').get('/v1/x'),
      }),
    ]);
    for (let i = 0; i < 2; i++) await supertest(svc.app).get('/v1/music-proxy').set(userHeaders('alice'));
    const calls = server.received.length;
    const res = await supertest(svc.app).get('/v1/music-proxy').set(userHeaders('alice'));
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({
      code: 'unavailable',
      message: 'music is unavailable (its last error: boom)',
    });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(server.received.length).toBe(calls);
  });

  it('4xx answers do not open it', async () => {
    const server = await downstream((_r, _n, res) =>
      json(res, 404, { error: { code: 'not_found', message: 'voice not found' } }),
    );
    const client = createServiceClient((await callerService(server.url)).ctx, 'music', FAST);
    for (let i = 0; i < 8; i++) {
      expect(failure(await client.get('/v1/voices/x').catch((e) => e)).status).toBe(404);
    }
    expect(server.received).toHaveLength(8);
  });
});

describe('service client: headers and a real downstream service', () => {
  it('sends a mesh token for the target, on-behalf headers and the trace', async () => {
    const server = await downstream((_r, _n, res) => json(res, 200, { ok: true }));
    const svc = await callerService(server.url, (ctx) => [
      defineRoute({
        method: 'post',
        path: '/v1/go',
        summary: 'go',
        auth: 'user',
        handler: ({ caller }) => ctx.client('music').post('/v1/music', { a: 1 }, { onBehalfOf: caller as UserCaller }),
      }),
    ]);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await supertest(svc.app)
      .post('/v1/go')
      .set(userHeaders('alice', 'pro'))
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .set('x-request-id', 'req-12345678');
    expect(res.status).toBe(200);
    const got = server.received[0]?.headers ?? {};
    const token = String(got['x-serverless-authorization']).replace(/^Bearer /, '');
    expect(await hmacMeshTokens(TEST_MESH_SECRET).verify(token, server.url)).toBe('compose');
    expect(got['x-storyreel-user']).toBe('alice');
    expect(got['x-storyreel-plan']).toBe('pro');
    expect(got['x-request-id']).toBe('req-12345678');
    expect(String(got.traceparent)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(got.authorization).toBeUndefined();
  });

  it('a retried idempotent call runs once downstream; downstream errors keep their code', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const urls = { SERVICE_URLS: JSON.stringify({ music: url }) };
    let runs = 0;
    const music = await createTestService({
      name: 'music',
      envOverrides: urls,
      routes: () => [
        defineRoute({
          method: 'post',
          path: '/v1/music',
          summary: 'compose music',
          auth: 'user',
          idempotent: true,
          body: z.object({ mood: z.string() }),
          handler: ({ body, caller }) => {
            if (body.mood === 'busy') throw conflict('a soundtrack is already being made', { jobId: 'j1' });
            runs += 1;
            return { run: runs, caller };
          },
        }),
      ],
    });
    cleanups.push(() => music.close());
    await music.listen(port);
    const svc = await callerService(url);
    const alice: UserCaller = { kind: 'user', uid: 'alice', plan: 'free' };
    const client = svc.ctx.client('music');
    const first = await client.post(
      '/v1/music',
      { mood: 'calm' },
      { idempotencyKey: 'job-9:music', onBehalfOf: alice },
    );
    const again = await client.post(
      '/v1/music',
      { mood: 'calm' },
      { idempotencyKey: 'job-9:music', onBehalfOf: alice },
    );
    expect(first).toEqual({ run: 1, caller: { kind: 'user', uid: 'alice', plan: 'free', via: 'compose' } });
    expect(again).toEqual(first);
    expect(runs).toBe(1);
    const err = failure(await client.post('/v1/music', { mood: 'busy' }, { onBehalfOf: alice }).catch((e) => e));
    expect(err).toMatchObject({
      code: 'conflict',
      status: 409,
      message: 'a soundtrack is already being made',
      details: { jobId: 'j1' },
    });
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, claimIdempotencyKey, defineRoute } from '@storyreel/shared';
import { createTestService, type TestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

const calls = { create: 0, flaky: 0 };

const routes = () => [
  defineRoute({
    method: 'post',
    path: '/v1/takes',
    summary: 'Create a take',
    auth: 'user',
    idempotent: true,
    status: 201,
    body: z.object({ text: z.string(), delayMs: z.number().optional() }),
    handler: async ({ body }) => {
      calls.create += 1;
      if (body.delayMs) await sleep(body.delayMs);
      return { take: calls.create, text: body.text };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/flaky',
    summary: 'Fails the first time',
    auth: 'user',
    idempotent: true,
    handler: () => {
      calls.flaky += 1;
      if (calls.flaky === 1) throw new AppError('unavailable', 'try again');
      return { run: calls.flaky };
    },
  }),
];

describe('Idempotency-Key on the receiving side', () => {
  let svc: TestService;
  const post = (path: string, key: string | undefined, body: object, uid = 'alice') => {
    const req = supertest(svc.app).post(path).set(userHeaders(uid));
    if (key !== undefined) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  beforeAll(async () => {
    svc = await createTestService({ name: 'narrate', routes });
  });
  afterAll(() => svc.close());
  beforeEach(() => {
    calls.create = 0;
    calls.flaky = 0;
  });

  it('a repeat returns the first result and the handler runs once', async () => {
    const first = await post('/v1/takes', 'key-1', { text: 'hello' });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('/v1/takes', 'key-1', { text: 'hello' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(calls.create).toBe(1);
  });

  it('without the header every request runs', async () => {
    await post('/v1/takes', undefined, { text: 'a' });
    await post('/v1/takes', undefined, { text: 'a' });
    expect(calls.create).toBe(2);
  });

  it('409 when the key comes back with another body', async () => {
    await post('/v1/takes', 'key-2', { text: 'one' });
    const res = await post('/v1/takes', 'key-2', { text: 'two' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(calls.create).toBe(1);
  });

  it('409 "in progress" while the first request with the key still runs', async () => {
    const first = post('/v1/takes', 'key-3', { text: 'slow', delayMs: 500 }).then((r) => r);
    await sleep(150);
    const second = await post('/v1/takes', 'key-3', { text: 'slow', delayMs: 500 });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toBe('a request with this key is in progress');
    expect((await first).status).toBe(201);
    const third = await post('/v1/takes', 'key-3', { text: 'slow', delayMs: 500 });
    expect(third.headers['idempotent-replayed']).toBe('true');
    expect(calls.create).toBe(1);
  });

  it('a failed request releases its key, so the retry runs', async () => {
    const failed = await post('/v1/flaky', 'key-4', {});
    expect(failed.status).toBe(503);
    const retry = await post('/v1/flaky', 'key-4', {});
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ run: 2 });
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });

  it('keys belong to their caller', async () => {
    await post('/v1/takes', 'shared-key', { text: 'x' }, 'alice');
    const bob = await post('/v1/takes', 'shared-key', { text: 'x' }, 'bob');
    expect(bob.headers['idempotent-replayed']).toBeUndefined();
    expect(calls.create).toBe(2);
  });

  it('400 for a key that is empty, too long or not printable', async () => {
    for (const key of ['', 'k'.repeat(201), 'tab\there']) {
      const res = await post('/v1/takes', key, { text: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('Idempotency-Key');
    }
    expect(calls.create).toBe(0);
  });

  it('records expire after 24 hours; abandoned pending records after their lease', async () => {
    const now = Date.now();
    expect((await claimIdempotencyKey(svc.ctx.docs, 'rec-1', 'fp', now)).kind).toBe('claimed');
    await expect(claimIdempotencyKey(svc.ctx.docs, 'rec-1', 'fp', now + 60_000)).rejects.toThrow(/in progress/);
    expect((await claimIdempotencyKey(svc.ctx.docs, 'rec-1', 'fp', now + 17 * 60_000)).kind).toBe('claimed');
    expect((await claimIdempotencyKey(svc.ctx.docs, 'rec-1', 'other', now + 25 * 3_600_000)).kind).toBe('claimed');
  });
});

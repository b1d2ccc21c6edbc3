import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineRoute } from '@storyreel/shared';
import { createTestService, type TestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeIpBudget, IP_WINDOW_MS } from '../../src/quota/ipRateLimit.js';

const routes = () => [
  defineRoute({
    method: 'post',
    path: '/v1/preview',
    summary: 'Anonymous preview',
    auth: 'public',
    ipLimit: 3,
    handler: () => ({ ok: true }),
  }),
  defineRoute({ method: 'get', path: '/v1/open', summary: 'No limit', auth: 'public', handler: () => ({ ok: true }) }),
];

describe('per-IP rate limit on anonymous routes', () => {
  let dir: string;
  let a: TestService;
  let b: TestService;
  beforeAll(async () => {
    // Two instances of one service on one database: the limit must hold across both.
    dir = mkdtempSync(join(tmpdir(), 'ratelimit-'));
    const envOverrides = { DOC_SQLITE_PATH: join(dir, 'shared.db') };
    a = await createTestService({ name: 'upload', routes, envOverrides });
    b = await createTestService({ name: 'upload', routes, envOverrides });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts down in RateLimit headers, then 429 with Retry-After, across instances', async () => {
    const ip = '203.0.113.7';
    const seen: (string | undefined)[] = [];
    for (const svc of [a, b, a]) {
      const res = await supertest(svc.app).post('/v1/preview').set('x-forwarded-for', ip);
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
      seen.push(res.headers['ratelimit-remaining']);
      const reset = Number(res.headers['ratelimit-reset']);
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(IP_WINDOW_MS / 1000);
    }
    expect(seen).toEqual(['2', '1', '0']);
    const refused = await supertest(b.app).post('/v1/preview').set('x-forwarded-for', ip);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['retry-after'])).toBe(Number(refused.headers['ratelimit-reset']));
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('other addresses, signed-in users and routes without ipLimit are not limited by it', async () => {
    const other = await supertest(a.app).post('/v1/preview').set('x-forwarded-for', '198.51.100.1');
    expect(other.status).toBe(200);
    for (let i = 0; i < 4; i++) {
      const user = await supertest(a.app)
        .post('/v1/preview')
        .set('x-forwarded-for', '203.0.113.7')
        .set(userHeaders('alice'));
      expect(user.status).toBe(200);
      expect(user.headers['ratelimit-limit']).toBeUndefined();
    }
    const open = await supertest(a.app).get('/v1/open').set('x-forwarded-for', '203.0.113.7');
    expect(open.status).toBe(200);
  });

  it('stores no raw address and starts a new window after 15 minutes', async () => {
    const now = new Date('2030-01-01T10:00:00Z');
    const limit = 2;
    const input = { scope: 'test', ip: '192.0.2.55', limit };
    expect((await consumeIpBudget(a.ctx.docs, { ...input, now })).remaining).toBe(1);
    expect((await consumeIpBudget(a.ctx.docs, { ...input, now })).remaining).toBe(0);
    const refused = await consumeIpBudget(a.ctx.docs, { ...input, now: new Date(now.getTime() + 14 * 60_000) });
    expect(refused.allowed).toBe(false);
    expect(refused.resetAt.toISOString()).toBe('2030-01-01T10:15:00.000Z');
    const next = await consumeIpBudget(a.ctx.docs, { ...input, now: new Date(now.getTime() + 15 * 60_000) });
    expect(next).toMatchObject({ allowed: true, remaining: 1 });
    const stored = await a.ctx.docs.query('rate_limits');
    expect(JSON.stringify(stored)).not.toContain('192.0.2.55');
    expect(JSON.stringify(stored)).not.toContain('203.0.113.7');
  });
});

describe('RATE_LIMITS_ENABLED=false', () => {
  it('turns the per-IP limit off', async () => {
    const svc = await createTestService({ name: 'upload', routes, envOverrides: { RATE_LIMITS_ENABLED: 'false' } });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await supertest(svc.app).post('/v1/preview');
        expect(res.status).toBe(200);
      }
    } finally {
      await svc.close();
    }
  });
});

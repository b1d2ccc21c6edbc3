import {
  AppError,
  chargeQuota,
  checkQuota,
  defineRoute,
  quotaRoutes,
  quotaStatus,
  type UserCaller,
} from '@storyreel/shared';
import { createTestService, type TestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

/** A stand-in for compose's render route: check, work, charge only on success. */
const routes = (ctx: Parameters<typeof quotaRoutes>[0]) => [
  ...quotaRoutes(ctx),
  defineRoute({
    method: 'post',
    path: '/v1/renders',
    summary: 'Render',
    auth: 'user',
    body: z.object({ fail: z.boolean().default(false), ownKey: z.boolean().default(false) }),
    handler: async ({ body, caller }) => {
      const user = caller as UserCaller;
      if (!body.ownKey) await checkQuota(ctx.docs, user);
      if (body.fail) throw new AppError('internal', 'the render failed');
      await chargeQuota(ctx.docs, user.uid, { usedOwnKey: body.ownKey });
      return { rendered: true };
    },
  }),
];

describe('daily plan quotas', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await createTestService({ name: 'compose', routes });
  });
  afterAll(() => svc.close());

  const render = (uid: string, body: object = {}, plan: 'free' | 'pro' = 'free') =>
    supertest(svc.app).post('/v1/renders').set(userHeaders(uid, plan)).send(body);

  it('a free user gets 10 renders a day, then 429 with Retry-After to UTC midnight', async () => {
    for (let i = 0; i < 10; i++) expect((await render('freya')).status).toBe(200);
    const refused = await render('freya');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    const expected = Math.ceil((midnight.getTime() - Date.now()) / 1000);
    expect(Math.abs(Number(refused.headers['retry-after']) - expected)).toBeLessThanOrEqual(2);
    expect(refused.body.error.details).toEqual({ plan: 'free', limit: 10, used: 10, resetsAt: midnight.toISOString() });
  });

  it('a failed render costs nothing', async () => {
    for (let i = 0; i < 3; i++) expect((await render('faye', { fail: true })).status).toBe(500);
    const quota = await supertest(svc.app).get('/v1/quota').set(userHeaders('faye'));
    expect(quota.status).toBe(200);
    expect(quota.body).toMatchObject({ plan: 'free', limit: 10, used: 0, remaining: 10 });
  });

  it('renders with the user’s own keys are recorded apart and not charged', async () => {
    for (let i = 0; i < 2; i++) expect((await render('byo', { ownKey: true })).status).toBe(200);
    expect((await render('byo')).status).toBe(200);
    const quota = await supertest(svc.app).get('/v1/quota').set(userHeaders('byo', 'pro'));
    expect(quota.body).toMatchObject({ plan: 'pro', limit: 100, used: 1, remaining: 99, byoKeyUsage: 2 });
  });

  it('GET /v1/quota is for signed-in users', async () => {
    expect((await supertest(svc.app).get('/v1/quota')).status).toBe(401);
  });

  it('limits follow the plan and days are UTC days', async () => {
    const pro: UserCaller = { kind: 'user', uid: 'pat', plan: 'pro' };
    const day = new Date('2031-05-05T23:59:00Z');
    for (let i = 0; i < 100; i++) await chargeQuota(svc.ctx.docs, 'pat', { at: day });
    await expect(checkQuota(svc.ctx.docs, pro, day)).rejects.toMatchObject({ status: 429, retryAfterSeconds: 60 });
    expect(await checkQuota(svc.ctx.docs, { ...pro, plan: 'enterprise' }, day)).toMatchObject({
      limit: 1000,
      remaining: 900,
    });
    const nextDay = await quotaStatus(svc.ctx.docs, pro, new Date('2031-05-06T00:00:01Z'));
    expect(nextDay).toMatchObject({ used: 0, remaining: 100, resetsAt: '2031-05-07T00:00:00.000Z' });
    expect(await svc.ctx.docs.get('quotas', 'pat_2031-05-05')).toMatchObject({ data: { used: 100 } });
  });
});

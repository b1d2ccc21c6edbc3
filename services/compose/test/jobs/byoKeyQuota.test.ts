import { chargeQuota, PROVIDERS, quotaStatus } from '@storyreel/shared';
import { createTestService, fakeProviderServer, type TestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createIllustrator } from '../../src/adapters/illustrator.js';
import { jobRoutes, movieJobDeps, startJobWorker } from '../../src/jobs/index.js';
import { eventually, FAST, fakeMesh, jobReaches, seedProject } from './jobFixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** The api-key service's key list (metadata): `byo` stored a key for every provider, `some` all but one. */
async function fakeApiKey(answer?: () => { status: number; json: unknown }) {
  const stored: Record<string, readonly string[]> = { byo: PROVIDERS, some: PROVIDERS.slice(1) };
  const server = await fakeProviderServer((req) => {
    if (answer) return answer();
    const providers = stored[String(req.headers['x-storyreel-user'])] ?? [];
    return { json: { keys: providers.map((provider) => ({ provider, last4: 'abcd', status: 'verified' })) } };
  });
  cleanups.push(() => server.close());
  return server;
}

/** Compose in cloud mode, wired as in production (movieJobDeps), with the other services faked. */
async function cloudCompose(apiKeyUrl: string): Promise<TestService> {
  const fake = fakeMesh();
  const deps = (ctx: Parameters<typeof movieJobDeps>[0]) => ({
    ...movieJobDeps(ctx, createIllustrator()),
    calls: fake.mesh,
    settings: FAST,
  });
  const svc = await createTestService({
    name: 'compose',
    routes: (ctx) => jobRoutes(ctx, deps(ctx)),
    // A platform Gemini key: a user without their own keys would spend it.
    envOverrides: {
      PROVIDERS: 'cloud',
      GEMINI_API_KEY: 'platform-gemini',
      SERVICE_URLS: JSON.stringify({ 'api-key': apiKeyUrl }),
    },
  });
  cleanups.push(() => svc.close());
  const worker = startJobWorker(svc.ctx, deps(svc.ctx));
  cleanups.push(() => worker.stop());
  return svc;
}

const quotaOf = (svc: TestService, uid: string) => quotaStatus(svc.ctx.docs, { kind: 'user', uid, plan: 'free' });

/** Renders a project of `uid` to the end; the quota once the job's end is recorded. */
async function renderFor(svc: TestService, uid: string, before = 0) {
  await seedProject(svc.ctx.docs, `p-${uid}`, uid, 2);
  const res = await supertest(svc.app).post(`/v1/projects/p-${uid}/render`).set(userHeaders(uid)).send({});
  expect(res.status).toBe(202);
  const job = await jobReaches(svc.ctx.docs, res.body.job.id, 'succeeded', 'failed');
  expect(job.status).toBe('succeeded');
  // The quota is settled just after the job's success is written.
  return eventually(async () => {
    const quota = await quotaOf(svc, uid);
    expect(quota.used + quota.byoKeyUsage).toBe(before + 1);
    return quota;
  });
}

describe("a movie job made with the user's own keys", () => {
  it('is counted as BYO usage and does not consume the plan quota', async () => {
    const api = await fakeApiKey();
    const quota = await renderFor(await cloudCompose(api.url), 'byo');
    expect(quota).toMatchObject({ used: 0, remaining: 10, byoKeyUsage: 1 });
    // Compose asked api-key for the owner's key list (metadata), never for a key.
    expect(new Set(api.received.map((r) => `${r.method} ${r.path} ${r.headers['x-storyreel-user']}`))).toEqual(
      new Set(['GET /v1/keys byo']),
    );
  });

  it('is charged to the plan when a platform key could have been used', async () => {
    const api = await fakeApiKey();
    const svc = await cloudCompose(api.url);
    expect(await renderFor(svc, 'plain')).toMatchObject({ used: 1, remaining: 9, byoKeyUsage: 0 });
    expect(await renderFor(svc, 'some')).toMatchObject({ used: 1, remaining: 9, byoKeyUsage: 0 });
  });

  it('is charged to the plan when api-key cannot say', async () => {
    const api = await fakeApiKey(() => ({
      status: 403,
      json: { error: { code: 'permission_denied', message: 'no' } },
    }));
    expect(await renderFor(await cloudCompose(api.url), 'byo')).toMatchObject({ used: 1, byoKeyUsage: 0 });
  });

  it("is not held to the plan's daily limit, which still binds a user without all keys", async () => {
    const api = await fakeApiKey();
    const svc = await cloudCompose(api.url);
    for (const uid of ['byo', 'plain']) for (let i = 0; i < 10; i++) await chargeQuota(svc.ctx.docs, uid);
    await seedProject(svc.ctx.docs, 'p-plain', 'plain', 2);
    const refused = await supertest(svc.app).post('/v1/projects/p-plain/render').set(userHeaders('plain')).send({});
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(await renderFor(svc, 'byo', 10)).toMatchObject({ used: 10, remaining: 0, byoKeyUsage: 1 });
  });
});

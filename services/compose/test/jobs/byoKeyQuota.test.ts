import { PROVIDERS, quotaStatus } from '@storyreel/shared';
import { createTestService, fakeProviderServer, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createIllustrator } from '../../src/adapters/illustrator.js';
import { jobRoutes, movieJobDeps, startJobWorker } from '../../src/jobs/index.js';
import { eventually, FAST, fakeMesh, jobReaches, seedProject } from './jobFixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** The api-key service as compose's resolver sees it: `byo` stored a key for every provider, others none. */
async function fakeApiKey(answer?: () => { status: number; json: unknown }) {
  const server = await fakeProviderServer((req) => {
    if (answer) return answer();
    const provider = req.path.split('/').pop();
    return req.headers['x-storyreel-user'] === 'byo'
      ? { json: { provider, apiKey: `byo-${provider}-key` } }
      : { status: 404, json: { error: { code: 'not_found', message: 'no stored key' } } };
  });
  cleanups.push(() => server.close());
  return server;
}

async function renderFor(uid: string, apiKeyUrl: string) {
  const fake = fakeMesh();
  const deps = (ctx: Parameters<typeof movieJobDeps>[0]) => ({
    ...movieJobDeps(ctx, createIllustrator()),
    calls: fake.mesh,
    settings: FAST,
  });
  const svc = await createTestService({
    name: 'compose',
    routes: (ctx) => jobRoutes(ctx, deps(ctx)),
    // Cloud mode with a platform Gemini key: a user without their own keys would spend it.
    envOverrides: {
      PROVIDERS: 'cloud',
      GEMINI_API_KEY: 'platform-gemini',
      SERVICE_URLS: JSON.stringify({ 'api-key': apiKeyUrl }),
    },
  });
  cleanups.push(() => svc.close());
  const worker = startJobWorker(svc.ctx, deps(svc.ctx));
  cleanups.push(() => worker.stop());
  await seedProject(svc.ctx.docs, `p-${uid}`, uid, 2);
  const { body } = await supertest(svc.app)
    .post(`/v1/projects/p-${uid}/render`)
    .set(userHeaders(uid))
    .send({})
    .expect(202);
  const job = await jobReaches(svc.ctx.docs, body.job.id, 'succeeded', 'failed');
  expect(job.status).toBe('succeeded');
  // The quota is settled just after the job's success is written.
  return eventually(async () => {
    const quota = await quotaStatus(svc.ctx.docs, { kind: 'user', uid, plan: 'free' });
    expect(quota.used + quota.byoKeyUsage).toBe(1);
    return quota;
  });
}

describe("a movie job made with the user's own keys", () => {
  it('is counted as BYO usage and does not consume the plan quota', async () => {
    const api = await fakeApiKey();
    const quota = await renderFor('byo', api.url);
    expect(quota).toMatchObject({ used: 0, remaining: 10, byoKeyUsage: 1 });
    // The check asked api-key, for the job's owner, about every provider.
    const asked = api.received.filter((r) => r.headers['x-storyreel-user'] === 'byo').map((r) => r.path);
    expect(asked.sort()).toEqual(PROVIDERS.map((p) => `/internal/v1/keys/${p}`).sort());
  });

  it('is charged to the plan when a platform key could have been used', async () => {
    const api = await fakeApiKey();
    expect(await renderFor('plain', api.url)).toMatchObject({ used: 1, remaining: 9, byoKeyUsage: 0 });
  });

  it('is charged to the plan when api-key cannot say', async () => {
    const api = await fakeApiKey(() => ({
      status: 403,
      json: { error: { code: 'permission_denied', message: 'no' } },
    }));
    expect(await renderFor('byo', api.url)).toMatchObject({ used: 1, byoKeyUsage: 0 });
  });
});

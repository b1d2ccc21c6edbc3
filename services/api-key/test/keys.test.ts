import { COLLECTIONS, PROVIDERS } from '@storyreel/shared';
import {
  createTestService,
  type FakeProviderServer,
  serviceHeaders,
  type TestService,
  userHeaders,
} from '@storyreel/shared/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpKeyVerifier } from '../src/keyVerifier.js';
import { apiKeyRoutes } from '../src/routes.js';
import { ACCEPTED, fakeProviders, GOOD_KEYS, REVOKED_ELEVENLABS_KEY, REVOKED_GEMINI_KEY } from './providerKeys.js';

let providers: FakeProviderServer;
let svc: TestService;

const everyProviderAt = (url: string) => Object.fromEntries(PROVIDERS.map((p) => [p, url]));

beforeAll(async () => {
  providers = await fakeProviders();
  svc = await createTestService({
    name: 'api-key',
    envOverrides: { PROVIDERS: 'cloud' },
    routes: (ctx) => apiKeyRoutes(ctx, { verifier: httpKeyVerifier({ baseUrls: everyProviderAt(providers.url) }) }),
  });
});
afterAll(async () => {
  await svc?.close();
  await providers?.close();
});

const put = (uid: string, provider: string, apiKey: unknown) =>
  request(svc.app).put(`/v1/keys/${provider}`).set(userHeaders(uid)).send({ apiKey });
const internalKey = async (uid: string | undefined, provider: string) =>
  request(svc.app)
    .get(`/internal/v1/keys/${provider}`)
    .set(await serviceHeaders('api-key', { from: 'narrate', ...(uid ? { onBehalfOf: uid } : {}) }));

describe('storing keys', () => {
  it('checks the key with its provider, stores it sealed and answers metadata only', async () => {
    const res = await put('alice', 'gemini', `  ${GOOD_KEYS.gemini}\n`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      provider: 'gemini',
      last4: GOOD_KEYS.gemini.slice(-4),
      status: 'verified',
      lastUsedAt: null,
      replaced: false,
    });
    expect(JSON.stringify(res.body)).not.toContain(GOOD_KEYS.gemini);
    // The provider saw the trimmed key, in its own header.
    const probe = providers.received.at(-1);
    expect(probe?.path).toBe('/v1beta/models');
    expect(probe?.headers['x-goog-api-key']).toBe(GOOD_KEYS.gemini);
    const stored = await svc.ctx.docs.get(COLLECTIONS.apiKeys, 'alice_gemini');
    expect(JSON.stringify(stored)).not.toContain(GOOD_KEYS.gemini);
    expect(stored?.data).toMatchObject({ sealed: { alg: 'AES-256-GCM', kekVersion: 'local-1' } });
  });

  it('verifies each provider with its own kind of call', async () => {
    for (const provider of ['google-cloud', 'elevenlabs', 'fal'] as const) {
      const res = await put('alice', provider, GOOD_KEYS[provider]);
      expect(res.status, provider).toBe(200);
      expect(res.body.status, provider).toBe('verified');
    }
    const paths = providers.received.slice(-3).map((r) => r.path);
    expect(paths).toEqual(['/v1/voices', '/v1/models', '/v1/models']);
    expect(providers.received.at(-1)?.headers.authorization).toBe(`Key ${GOOD_KEYS.fal}`);
  });

  it("lists metadata only, and only the caller's own keys", async () => {
    const mine = await request(svc.app).get('/v1/keys').set(userHeaders('alice'));
    expect(mine.status).toBe(200);
    expect(mine.body.keys.map((k: { provider: string }) => k.provider)).toEqual([
      'elevenlabs',
      'fal',
      'gemini',
      'google-cloud',
    ]);
    for (const key of mine.body.keys)
      expect(Object.keys(key).sort()).toEqual(['createdAt', 'last4', 'lastUsedAt', 'provider', 'status']);
    for (const secret of Object.values(GOOD_KEYS)) expect(JSON.stringify(mine.body)).not.toContain(secret);
    const theirs = await request(svc.app).get('/v1/keys').set(userHeaders('bob'));
    expect(theirs.body).toEqual({ keys: [] });
    expect((await request(svc.app).get('/v1/keys')).status).toBe(401);
  });

  it('refuses a malformed key with 422 naming the provider, without repeating the key', async () => {
    const pasted = 'sk-this-is-an-openai-key-not-gemini';
    const res = await put('carol', 'gemini', pasted);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'invalid_argument', details: { provider: 'gemini' } });
    expect(res.body.error.message).toMatch(/not a Gemini key/);
    expect(JSON.stringify(res.body)).not.toContain(pasted);
    const empty = await put('carol', 'fal', '');
    expect(empty.status).toBe(422);
    expect(empty.body.error.details.fields[0].field).toBe('apiKey');
  });

  it('answers an unknown provider with 422 on the provider parameter', async () => {
    const res = await put('carol', 'openai', 'whatever');
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields[0].field).toBe('params.provider');
  });

  it('refuses a key the provider rejects with 400 naming the provider, and stores nothing', async () => {
    const gemini = await put('carol', 'gemini', REVOKED_GEMINI_KEY);
    expect(gemini.status).toBe(400);
    expect(gemini.body.error).toMatchObject({
      code: 'invalid_argument',
      details: { provider: 'gemini', reason: 'rejected_by_provider' },
    });
    expect(gemini.body.error.message).toMatch(/^Gemini rejected this key/);
    const eleven = await put('carol', 'elevenlabs', REVOKED_ELEVENLABS_KEY);
    expect(eleven.status).toBe(400);
    expect(eleven.body.error.message).toMatch(/^ElevenLabs rejected this key/);
    expect(JSON.stringify([gemini.body, eleven.body])).not.toMatch(/Revoked|0f0f0f/);
    expect((await request(svc.app).get('/v1/keys').set(userHeaders('carol'))).body).toEqual({ keys: [] });
  });

  it('replacing a key (the user rotating it) seals the new one under a fresh data key', async () => {
    const before = await svc.ctx.docs.get<{ sealed: { wrappedKey: string } }>(COLLECTIONS.apiKeys, 'alice_fal');
    const next = '9a8b7c6d-1111-4222-8333-944455566677:fedcba9876543210fedcba9876543210';
    const unverified = await put('alice', 'fal', next);
    // The fake provider does not know the new key: fal answers 401.
    expect(unverified.status).toBe(400);
    const res = await put('alice', 'fal', GOOD_KEYS.fal);
    expect(res.body).toMatchObject({ replaced: true, last4: GOOD_KEYS.fal.slice(-4) });
    const after = await svc.ctx.docs.get<{ sealed: { wrappedKey: string } }>(COLLECTIONS.apiKeys, 'alice_fal');
    expect(after?.data.sealed.wrappedKey).not.toBe(before?.data.sealed.wrappedKey);
  });
});

describe('testing a stored key again', () => {
  it('asks the provider with the stored key and keeps its answer as the status', async () => {
    const test = (provider: string) => request(svc.app).post(`/v1/keys/${provider}/test`).set(userHeaders('alice'));
    const ok = await test('fal');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ provider: 'fal', status: 'verified', last4: GOOD_KEYS.fal.slice(-4) });
    expect(providers.received.at(-1)?.headers.authorization).toBe(`Key ${GOOD_KEYS.fal}`);

    // The user revoked the key at fal since storing it.
    ACCEPTED.delete(GOOD_KEYS.fal);
    try {
      const revoked = await test('fal');
      expect(revoked.status).toBe(200);
      expect(revoked.body.status).toBe('rejected');
      expect(JSON.stringify(revoked.body)).not.toContain(GOOD_KEYS.fal);
      const listed = (await request(svc.app).get('/v1/keys').set(userHeaders('alice'))).body.keys;
      expect(listed.find((k: { provider: string }) => k.provider === 'fal').status).toBe('rejected');
    } finally {
      ACCEPTED.add(GOOD_KEYS.fal);
    }
    expect((await test('fal')).body.status).toBe('verified');
  });

  it('answers 404 when the user stored no key for the provider', async () => {
    const res = await request(svc.app).post('/v1/keys/gemini/test').set(userHeaders('nobody'));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('verification when the provider cannot be reached', () => {
  it('stores the key as "not verified" when the provider does not answer', async () => {
    const unreachable = await createTestService({
      name: 'api-key',
      envOverrides: { PROVIDERS: 'cloud' },
      // Port 9 (discard) on loopback: nothing listens there.
      routes: (ctx) =>
        apiKeyRoutes(ctx, { verifier: httpKeyVerifier({ baseUrls: everyProviderAt('http://127.0.0.1:9') }) }),
    });
    try {
      const res = await request(unreachable.app)
        .put('/v1/keys/elevenlabs')
        .set(userHeaders('dan'))
        .send({ apiKey: GOOD_KEYS.elevenlabs });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('not verified');
    } finally {
      await unreachable.close();
    }
  });

  it('offline (PROVIDERS=offline) asks no provider and says "not verified"', async () => {
    const offline = await createTestService({ name: 'api-key', routes: (ctx) => apiKeyRoutes(ctx) });
    try {
      const asked = providers.received.length;
      const res = await request(offline.app)
        .put('/v1/keys/gemini')
        .set(userHeaders('dan'))
        .send({ apiKey: REVOKED_GEMINI_KEY });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('not verified');
      expect(providers.received).toHaveLength(asked);
    } finally {
      await offline.close();
    }
  });
});

describe('the budget of key checks', () => {
  it('limits how often a user has keys checked with providers, so we are no oracle for stolen keys', async () => {
    const limited = await createTestService({
      name: 'api-key',
      envOverrides: { PROVIDERS: 'cloud' },
      routes: (ctx) =>
        apiKeyRoutes(ctx, {
          verifier: httpKeyVerifier({ baseUrls: everyProviderAt(providers.url) }),
          keyChecksPerWindow: 2,
        }),
    });
    try {
      const putAs = (uid: string, apiKey: string) =>
        request(limited.app).put('/v1/keys/gemini').set(userHeaders(uid)).send({ apiKey });
      expect((await putAs('eve', REVOKED_GEMINI_KEY)).status).toBe(400);
      const second = await putAs('eve', GOOD_KEYS.gemini);
      expect(second.status).toBe(200);
      expect(second.headers['ratelimit-remaining']).toBe('0');
      const asked = providers.received.length;
      const third = await putAs('eve', GOOD_KEYS.gemini);
      expect(third.status).toBe(429);
      expect(third.body.error.code).toBe('rate_limited');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      const test = await request(limited.app).post('/v1/keys/gemini/test').set(userHeaders('eve'));
      expect(test.status).toBe(429);
      expect(providers.received).toHaveLength(asked);
      // Malformed keys never reach a provider and cost nothing; other users have their own budget.
      expect((await putAs('eve', 'nonsense')).status).toBe(422);
      expect((await putAs('fay', GOOD_KEYS.gemini)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('the internal key route', () => {
  it('gives the plaintext to a mesh service acting for the user, never cached', async () => {
    const res = await internalKey('alice', 'gemini');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ provider: 'gemini', apiKey: GOOD_KEYS.gemini });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it("refuses a user's own token (403), no credentials (401) and a mesh call naming no user (403)", async () => {
    const asUser = await request(svc.app).get('/internal/v1/keys/gemini').set(userHeaders('alice'));
    expect(asUser.status).toBe(403);
    expect(asUser.body.error.code).toBe('permission_denied');
    expect(JSON.stringify(asUser.body)).not.toContain(GOOD_KEYS.gemini);
    expect((await request(svc.app).get('/internal/v1/keys/gemini')).status).toBe(401);
    const forged = await request(svc.app)
      .get('/internal/v1/keys/gemini')
      .set(
        await serviceHeaders('api-key', { onBehalfOf: 'alice', secret: 'a-different-secret-that-is-long-enough-000' }),
      );
    expect(forged.status).toBe(401);
    const noUser = await internalKey(undefined, 'gemini');
    expect(noUser.status).toBe(403);
    // A mesh service that calls no provider gets no key either.
    const fromUpload = await request(svc.app)
      .get('/internal/v1/keys/gemini')
      .set(await serviceHeaders('api-key', { from: 'upload', onBehalfOf: 'alice' }));
    expect(fromUpload.status).toBe(403);
    expect(fromUpload.body.error.message).toMatch(/upload service/);
  });

  it('lets a mesh service read the key list (metadata) for the user, as compose does to settle the quota', async () => {
    const res = await request(svc.app)
      .get('/v1/keys')
      .set(await serviceHeaders('api-key', { from: 'compose', onBehalfOf: 'alice' }));
    expect(res.status).toBe(200);
    expect(res.body.keys.map((k: { provider: string }) => k.provider)).toContain('gemini');
    expect(JSON.stringify(res.body)).not.toContain(GOOD_KEYS.gemini);
  });

  it('answers 404 for a user with no key for the provider', async () => {
    const res = await internalKey('bob', 'gemini');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('usage and quota', () => {
  it('records calls made with a user key per provider, marks the key used, and leaves the plan quota alone', async () => {
    const usage = async (body: object) =>
      request(svc.app)
        .post('/internal/v1/usage')
        .set(await serviceHeaders('api-key', { from: 'narrate', onBehalfOf: 'alice' }))
        .send(body);
    expect((await usage({ provider: 'elevenlabs', units: 3 })).status).toBe(204);
    expect((await usage({ provider: 'elevenlabs' })).status).toBe(204);
    expect((await usage({ provider: 'gemini' })).status).toBe(204);
    expect((await usage({ provider: 'nope' })).status).toBe(422);
    const asUser = await request(svc.app)
      .post('/internal/v1/usage')
      .set(userHeaders('alice'))
      .send({ provider: 'fal' });
    expect(asUser.status).toBe(403);

    const quota = await request(svc.app).get('/v1/quota').set(userHeaders('alice'));
    expect(quota.status).toBe(200);
    expect(quota.body).toMatchObject({
      plan: 'free',
      limit: 10,
      used: 0,
      remaining: 10,
      byoCalls: { elevenlabs: 4, gemini: 1, fal: 0, 'google-cloud': 0 },
    });
    const keys = (await request(svc.app).get('/v1/keys').set(userHeaders('alice'))).body.keys as {
      provider: string;
      lastUsedAt: string | null;
    }[];
    expect(keys.find((k) => k.provider === 'elevenlabs')?.lastUsedAt).toEqual(expect.any(String));
    expect(keys.find((k) => k.provider === 'fal')?.lastUsedAt).toBeNull();
  });
});

describe('deleting keys', () => {
  it('deletes a key: the mesh no longer gets it, and a second delete is 404', async () => {
    const res = await request(svc.app).delete('/v1/keys/google-cloud').set(userHeaders('alice'));
    expect(res.status).toBe(204);
    expect((await internalKey('alice', 'google-cloud')).status).toBe(404);
    const again = await request(svc.app).delete('/v1/keys/google-cloud').set(userHeaders('alice'));
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
    // Another user cannot delete alice's key: it is looked up under the caller.
    expect((await request(svc.app).delete('/v1/keys/gemini').set(userHeaders('bob'))).status).toBe(404);
    expect((await internalKey('alice', 'gemini')).status).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents the key routes from their schemas', async () => {
    const doc = (await request(svc.app).get('/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/keys', '/v1/keys/{provider}', '/internal/v1/keys/{provider}', '/v1/quota']),
    );
    expect(
      doc.paths['/v1/keys/{provider}'].put.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('apiKey');
  });
});

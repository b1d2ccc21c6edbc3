import { Writable } from 'node:stream';
import { createLogger, createProviderCaller, MESH_HEADER, PROVIDERS, providerKeyResolverFor } from '@storyreel/shared';
import {
  createTestService,
  type FakeProviderServer,
  freePort,
  type TestService,
  userHeaders,
} from '@storyreel/shared/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpKeyVerifier } from '../src/keyVerifier.js';
import { apiKeyRoutes } from '../src/routes.js';
import { fakeProviders, GOOD_KEYS, REVOKED_GEMINI_KEY } from './providerKeys.js';

/** Every line both services log, at the most talkative level. */
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk));
    done();
  },
});

let providers: FakeProviderServer;
let apiKey: TestService;
let narrate: TestService;

beforeAll(async () => {
  providers = await fakeProviders();
  const port = await freePort();
  // Both sides must agree on api-key's URL: mesh tokens name it as their audience.
  const serviceUrls = JSON.stringify({ 'api-key': `http://127.0.0.1:${port}` });
  apiKey = await createTestService({
    name: 'api-key',
    logger: createLogger('api-key', 'trace', sink),
    envOverrides: { PROVIDERS: 'cloud', SERVICE_URLS: serviceUrls },
    routes: (ctx) =>
      apiKeyRoutes(ctx, {
        verifier: httpKeyVerifier({ baseUrls: Object.fromEntries(PROVIDERS.map((p) => [p, providers.url])) }),
      }),
  });
  await apiKey.listen(port);
  narrate = await createTestService({
    name: 'narrate',
    logger: createLogger('narrate', 'trace', sink),
    envOverrides: { SERVICE_URLS: serviceUrls, ELEVENLABS_API_KEY: 'platform-elevenlabs-key-never-logged' },
    routes: () => [],
  });
});
afterAll(async () => {
  await narrate?.close();
  await apiKey?.close();
  await providers?.close();
});

describe('logs of a full run', () => {
  it('put, list, resolve over the mesh, use, quota, rotate, refuse, delete: no line holds a key', async () => {
    const user = userHeaders('logan');
    expect((await request(apiKey.app).put('/v1/keys/gemini').set(user).send({ apiKey: GOOD_KEYS.gemini })).status).toBe(
      200,
    );
    expect(
      (await request(apiKey.app).put('/v1/keys/elevenlabs').set(user).send({ apiKey: GOOD_KEYS.elevenlabs })).status,
    ).toBe(200);
    expect(
      (await request(apiKey.app).put('/v1/keys/gemini').set(user).send({ apiKey: REVOKED_GEMINI_KEY })).status,
    ).toBe(400);
    expect(
      (await request(apiKey.app).put('/v1/keys/fal').set(user).send({ apiKey: 'fal-key-in-the-wrong-shape' })).status,
    ).toBe(422);
    expect((await request(apiKey.app).get('/v1/keys').set(user)).status).toBe(200);

    // A mesh service resolves the user's key and calls the provider with it; the call is recorded.
    const keys = providerKeyResolverFor(narrate.ctx);
    const call = createProviderCaller({
      provider: 'elevenlabs',
      keys,
      timeoutMs: 2_000,
      endpoint: providers.url,
      logger: narrate.ctx.logger,
    });
    const models = await call({ userId: 'logan' }, async ({ credential, signal }) => {
      const res = await fetch(`${providers.url}/v1/models`, { headers: { 'xi-api-key': credential.apiKey }, signal });
      return res.json();
    });
    expect(models).toEqual([{ model_id: 'eleven_multilingual_v2' }]);
    expect(providers.received.at(-1)?.headers['xi-api-key']).toBe(GOOD_KEYS.elevenlabs);
    expect((await keys.resolve('elevenlabs', 'someone-else'))?.source).toBe('platform');
    const quota = await request(apiKey.app).get('/v1/quota').set(user);
    expect(quota.body.byoCalls.elevenlabs).toBe(1);

    const mesh = { [MESH_HEADER]: `Bearer ${await apiKey.ctx.auth.mesh.issue('ops', apiKey.ctx.selfUrl)}` };
    expect((await request(apiKey.app).post('/internal/v1/kek/rotations').set(mesh)).status).toBe(202);
    expect((await request(apiKey.app).get('/internal/v1/keys/gemini').set(user)).status).toBe(403);
    expect((await request(apiKey.app).delete('/v1/keys/gemini').set(user)).status).toBe(204);
    expect((await request(apiKey.app).delete('/v1/keys/elevenlabs').set(user)).status).toBe(204);

    // The run was logged (requests of both services), and no line carries any key, whole or in part.
    const log = lines.join('');
    expect(log).toContain('"requestUrl":"/v1/keys/gemini"');
    expect(log).toContain('"requestUrl":"/internal/v1/keys/elevenlabs"');
    expect(log).toContain('"requestUrl":"/internal/v1/usage"');
    const secrets = [
      ...Object.values(GOOD_KEYS),
      REVOKED_GEMINI_KEY,
      'fal-key-in-the-wrong-shape',
      'platform-elevenlabs-key-never-logged',
    ];
    for (const secret of secrets) {
      expect(log).not.toContain(secret);
      expect(log).not.toContain(secret.slice(4, 20));
    }
  });
});

import { parseEnv } from '@storyreel/config';
import {
  AppError,
  createLogger,
  hmacMeshTokens,
  meshKeyResolver,
  type ProviderKeyResolver,
  platformKeysFromEnv,
} from '@storyreel/shared';
import { createTestService, TEST_MESH_SECRET } from '@storyreel/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { json, loopbackServer, type Received } from '../client/loopback.js';

const GEMINI_USER_KEY = 'AIzaUserOwnKey_0123456789abcdefghijklmnop';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A fake api-key service on loopback: alice has a gemini key; /usage is recorded. */
async function fakeApiKey(reply?: (r: Received) => { status: number; body?: unknown } | undefined) {
  const server = await loopbackServer((r, _n, res) => {
    const custom = reply?.(r);
    if (custom) return json(res, custom.status, custom.body ?? {});
    const user = r.headers['x-storyreel-user'];
    if (r.method === 'GET' && r.url === '/internal/v1/keys/gemini' && user === 'alice') {
      return json(res, 200, { provider: 'gemini', apiKey: GEMINI_USER_KEY });
    }
    if (r.method === 'GET') return json(res, 404, { error: { code: 'not_found', message: 'no stored key' } });
    res.writeHead(204).end();
  });
  cleanups.push(() => server.close());
  return server;
}

async function resolverAgainst(url: string, options: { now?: () => number; platform?: Record<string, string> } = {}) {
  const caller = await createTestService({
    name: 'narrate',
    routes: () => [],
    envOverrides: { SERVICE_URLS: JSON.stringify({ 'api-key': url }), ...options.platform },
  });
  cleanups.push(() => caller.close());
  return meshKeyResolver({
    apiKeys: caller.ctx.client('api-key'),
    platformKeys: platformKeysFromEnv(caller.ctx.env),
    logger: createLogger('narrate', 'silent'),
    cacheMs: 1_000,
    ...(options.now ? { now: options.now } : {}),
  });
}

const PLATFORM = { GEMINI_API_KEY: 'platform-gemini-key', ELEVENLABS_API_KEY: 'platform-eleven-key' };

describe('mesh key resolver', () => {
  it("resolves a user's stored key over the mesh, on behalf of the user, with a mesh token", async () => {
    const api = await fakeApiKey();
    const resolver = await resolverAgainst(api.url, { platform: PLATFORM });
    expect(await resolver.resolve('gemini', 'alice')).toEqual({
      provider: 'gemini',
      apiKey: GEMINI_USER_KEY,
      source: 'user',
    });
    const [call] = api.received;
    expect(call?.headers['x-storyreel-user']).toBe('alice');
    const token = String(call?.headers['x-serverless-authorization']).replace(/^Bearer /, '');
    expect(await hmacMeshTokens(TEST_MESH_SECRET).verify(token, api.url)).toBe('narrate');
  });

  it('falls back to the platform key when the user has none, and to nothing when neither exists', async () => {
    const api = await fakeApiKey();
    const resolver = await resolverAgainst(api.url, { platform: PLATFORM });
    expect(await resolver.resolve('gemini', 'bob')).toEqual({
      provider: 'gemini',
      apiKey: 'platform-gemini-key',
      source: 'platform',
    });
    expect(await resolver.resolve('fal', 'bob')).toBeUndefined();
    // Platform work (no user) never asks api-key.
    const before = api.received.length;
    expect((await resolver.resolve('elevenlabs', undefined))?.source).toBe('platform');
    expect(api.received).toHaveLength(before);
  });

  it('reuses an answer (a key or "none") within the cache time and asks again after it', async () => {
    const api = await fakeApiKey();
    const clock = { at: 1_000_000 };
    const resolver = await resolverAgainst(api.url, { now: () => clock.at, platform: PLATFORM });
    await resolver.resolve('gemini', 'alice');
    await resolver.resolve('gemini', 'alice');
    await resolver.resolve('gemini', 'bob');
    await resolver.resolve('gemini', 'bob');
    expect(api.received).toHaveLength(2);
    clock.at += 1_001;
    await resolver.resolve('gemini', 'alice');
    expect(api.received).toHaveLength(3);
  });

  it('fails with 503 when api-key cannot answer, rather than spending the platform key for the user', async () => {
    const api = await fakeApiKey(() => ({ status: 503, body: { error: { code: 'unavailable', message: 'down' } } }));
    const resolver = await resolverAgainst(api.url, { platform: PLATFORM });
    const err = (await resolver.resolve('gemini', 'alice').catch((e) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.status).toBe(503);
    // The shared client's retry policy ran (3 attempts).
    expect(api.received).toHaveLength(3);
  });

  it('records usage of user keys only, and a failed record does not fail the provider call', async () => {
    const api = await fakeApiKey();
    const resolver: ProviderKeyResolver = await resolverAgainst(api.url, { platform: PLATFORM });
    const own = await resolver.resolve('gemini', 'alice');
    const platform = await resolver.resolve('elevenlabs', 'alice');
    const before = api.received.length;
    await resolver.recordUsage(own as NonNullable<typeof own>, 'alice', 2);
    await resolver.recordUsage(platform as NonNullable<typeof platform>, 'alice');
    const posts = api.received.slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ method: 'POST', url: '/internal/v1/usage' });
    expect(posts[0]?.headers['x-storyreel-user']).toBe('alice');
    expect(JSON.parse(posts[0]?.body ?? '')).toEqual({ provider: 'gemini', units: 2 });
    // The usage body carries no key.
    expect(posts[0]?.body).not.toContain(GEMINI_USER_KEY);

    const broken = await fakeApiKey((r) =>
      r.method === 'POST' ? { status: 400, body: { error: { code: 'invalid_argument', message: 'no' } } } : undefined,
    );
    const resolver2 = await resolverAgainst(broken.url);
    const key = await resolver2.resolve('gemini', 'alice');
    await expect(resolver2.recordUsage(key as NonNullable<typeof key>, 'alice')).resolves.toBeUndefined();
  });

  it('reads the platform keys from env, leaving unset ones out', () => {
    const env = parseEnv({ MESH_SECRET: TEST_MESH_SECRET, URL_SIGNING_SECRET: TEST_MESH_SECRET, FAL_KEY: 'fal-x' });
    expect(platformKeysFromEnv(env)).toEqual({ fal: 'fal-x' });
  });
});

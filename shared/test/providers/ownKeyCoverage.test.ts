import { onlyOwnKeys, PROVIDERS, storedKeyProviders } from '@storyreel/shared';
import { createTestService, fakeProviderServer } from '@storyreel/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A fake api-key answering GET /v1/keys (metadata) for the user named in x-storyreel-user. */
async function apiKeyClient(stored: Record<string, readonly string[]>) {
  const server = await fakeProviderServer((req) => {
    const uid = String(req.headers['x-storyreel-user']);
    return { json: { keys: (stored[uid] ?? []).map((provider) => ({ provider, last4: 'abcd', status: 'verified' })) } };
  });
  cleanups.push(() => server.close());
  const caller = await createTestService({
    name: 'compose',
    routes: () => [],
    envOverrides: { SERVICE_URLS: JSON.stringify({ 'api-key': server.url }) },
  });
  cleanups.push(() => caller.close());
  return { client: caller.ctx.client('api-key'), received: server.received };
}

describe('own key coverage', () => {
  it('lists the providers a user stored keys for, asking on their behalf for metadata', async () => {
    const api = await apiKeyClient({ ann: ['gemini', 'fal'] });
    expect(await storedKeyProviders(api.client, 'ann')).toEqual(['gemini', 'fal']);
    expect(api.received[0]).toMatchObject({ method: 'GET', path: '/v1/keys' });
    expect(api.received[0]?.headers['x-storyreel-user']).toBe('ann');
    expect(api.received[0]?.headers['x-serverless-authorization']).toMatch(/^Bearer /);
  });

  it('is true only when the user stored a key for every provider', async () => {
    const api = await apiKeyClient({ all: PROVIDERS, some: ['gemini', 'elevenlabs', 'fal'] });
    expect(await onlyOwnKeys(api.client, 'all')).toBe(true);
    // Google Cloud is missing: some service may call it with a platform key.
    expect(await onlyOwnKeys(api.client, 'some')).toBe(false);
    expect(await onlyOwnKeys(api.client, 'nobody')).toBe(false);
  });
});

import { onlyOwnKeys, type Provider, type ProviderKeyResolver } from '@storyreel/shared';
import { describe, expect, it } from 'vitest';

/** Users' stored keys and the platform's, as the api-key service and env would give them. */
function resolverOf(userKeys: Record<string, Provider[]>, platform: Provider[]): ProviderKeyResolver {
  return {
    async resolve(provider, uid) {
      if (uid && userKeys[uid]?.includes(provider)) return { provider, apiKey: `${uid}-${provider}`, source: 'user' };
      return platform.includes(provider) ? { provider, apiKey: `platform-${provider}`, source: 'platform' } : undefined;
    },
    recordUsage: async () => undefined,
  };
}

describe('onlyOwnKeys', () => {
  const resolver = resolverOf(
    { all: ['gemini', 'elevenlabs', 'fal', 'google-cloud'], some: ['gemini', 'elevenlabs'] },
    ['gemini', 'elevenlabs'],
  );

  it('is true when the user stored a key for every provider', async () => {
    expect(await onlyOwnKeys(resolver, 'all')).toBe(true);
  });

  it('is false when any provider could be called with a key that is not theirs', async () => {
    // fal and Google Cloud have no platform key here, but another service may hold one.
    expect(await onlyOwnKeys(resolver, 'some')).toBe(false);
    expect(await onlyOwnKeys(resolver, 'nobody')).toBe(false);
    expect(await onlyOwnKeys(resolverOf({}, []), 'nobody')).toBe(false);
  });
});

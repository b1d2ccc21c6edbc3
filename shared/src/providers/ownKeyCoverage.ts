import type { ServiceClient } from '../client/serviceClient.js';
import { PROVIDERS, type Provider } from './providerKeys.js';

/** What GET /v1/keys of the api-key service answers: metadata, never a key. */
interface StoredKeyList {
  keys: { provider: Provider }[];
}

/** The providers `uid` stored a key for, asked of the api-key service on the user's behalf. */
export async function storedKeyProviders(apiKeys: ServiceClient, uid: string): Promise<Provider[]> {
  const { keys } = await apiKeys.get<StoredKeyList>('/v1/keys', {
    onBehalfOf: { kind: 'user', uid, plan: 'free' },
    timeoutMs: 3_000,
  });
  return keys.map((k) => k.provider);
}

/**
 * True when every provider call made for `uid` goes with the user's own key:
 * they stored one for every provider (a stored key always wins over the
 * platform's). With any provider missing, some service might call it with a
 * platform key (each service reads only its own platform secrets, so the
 * caller cannot see which exist), and work that might have spent a platform
 * key counts against the plan: a doubt charges.
 */
export async function onlyOwnKeys(apiKeys: ServiceClient, uid: string): Promise<boolean> {
  const stored = new Set(await storedKeyProviders(apiKeys, uid));
  return PROVIDERS.every((provider) => stored.has(provider));
}

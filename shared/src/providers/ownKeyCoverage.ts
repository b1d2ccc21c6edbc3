import { PROVIDERS, type ProviderKeyResolver } from './providerKeys.js';

/**
 * True when every provider call made for `uid` goes with the user's own key:
 * they stored one for every provider. A provider without their key might be
 * called with a platform key by some service (each service reads only its own
 * platform secrets, so the caller cannot see which exist), and work that might
 * have spent a platform key counts against the plan: a doubt charges.
 */
export async function onlyOwnKeys(resolver: ProviderKeyResolver, uid: string): Promise<boolean> {
  const credentials = await Promise.all(PROVIDERS.map((provider) => resolver.resolve(provider, uid)));
  return credentials.every((credential) => credential?.source === 'user');
}

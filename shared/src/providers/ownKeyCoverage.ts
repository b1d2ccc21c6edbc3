import { PROVIDERS, type ProviderKeyResolver } from './providerKeys.js';

/**
 * True when no provider call made for `uid` can spend a platform key: every
 * provider resolves to the user's own key or is not configured at all (its
 * offline adapter runs), and at least one is the user's. Work that might have
 * touched a platform key counts against the plan, so a doubt charges.
 */
export async function onlyOwnKeys(resolver: ProviderKeyResolver, uid: string): Promise<boolean> {
  const credentials = await Promise.all(PROVIDERS.map((provider) => resolver.resolve(provider, uid)));
  return (
    credentials.every((c) => c === undefined || c.source === 'user') && credentials.some((c) => c?.source === 'user')
  );
}

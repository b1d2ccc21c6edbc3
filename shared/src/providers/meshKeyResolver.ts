import type { Env } from '@storyreel/config';
import type { ServiceClient } from '../client/serviceClient.js';
import { isAppError } from '../errors.js';
import type { ServiceContext } from '../http/createService.js';
import type { Logger } from '../http/logger.js';
import type { Provider, ProviderCredential, ProviderKeyResolver } from './providerKeys.js';

/** The api-key service's mesh-only routes (service credentials alone; a browser's token gets 403). */
export const INTERNAL_KEY_PATH = (provider: Provider) => `/internal/v1/keys/${provider}`;
export const INTERNAL_USAGE_PATH = '/internal/v1/usage';

/** What the internal key route answers. */
export interface StoredKeyReply {
  provider: Provider;
  apiKey: string;
}

export type PlatformKeys = Partial<Record<Provider, string>>;

/** The platform's own keys, from env (Secret Manager mounts them as env vars on Cloud Run). */
export function platformKeysFromEnv(env: Env): PlatformKeys {
  const keys: PlatformKeys = {
    gemini: env.GEMINI_API_KEY,
    fal: env.FAL_KEY,
    elevenlabs: env.ELEVENLABS_API_KEY,
    'google-cloud': env.GOOGLE_CLOUD_API_KEY,
  };
  return Object.fromEntries(Object.entries(keys).filter(([, key]) => key)) as PlatformKeys;
}

export interface MeshKeyResolverOptions {
  /** The mesh client of the api-key service (retries, breaker, mesh token). */
  apiKeys: ServiceClient;
  platformKeys: PlatformKeys;
  logger: Logger;
  /**
   * How long an answer (a key, or "no key") is reused. Short: a user who
   * replaces or deletes a key sees every service follow within this time.
   */
  cacheMs?: number;
  /** Per attempt; a key lookup should never hold up a provider call for long. */
  timeoutMs?: number;
  now?: () => number;
}

const DEFAULT_CACHE_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 3_000;

/**
 * The ProviderKeyResolver services use: the user's stored key from the
 * api-key service over the mesh, else the platform key from env.
 *
 * When api-key cannot answer, resolve fails (503) rather than quietly using
 * the platform key: a user who stored a key asked for their calls to be made
 * with it, and the movie job retries a step that failed for this reason.
 */
export function meshKeyResolver(options: MeshKeyResolverOptions): ProviderKeyResolver {
  const cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { apiKey: string | null; until: number }>();

  const onBehalfOf = (uid: string) => ({ kind: 'user' as const, uid, plan: 'free' as const });

  const storedKey = async (provider: Provider, uid: string): Promise<string | null> => {
    const cacheKey = `${uid}\u0000${provider}`;
    const hit = cache.get(cacheKey);
    if (hit && hit.until > now()) return hit.apiKey;
    let apiKey: string | null;
    try {
      const reply = await options.apiKeys.get<StoredKeyReply>(INTERNAL_KEY_PATH(provider), {
        onBehalfOf: onBehalfOf(uid),
        timeoutMs,
      });
      apiKey = reply.apiKey;
    } catch (err) {
      if (!(isAppError(err) && err.code === 'not_found')) throw err;
      apiKey = null;
    }
    cache.set(cacheKey, { apiKey, until: now() + cacheMs });
    return apiKey;
  };

  return {
    async resolve(provider, userId) {
      const own = userId ? await storedKey(provider, userId) : null;
      if (own) return { provider, apiKey: own, source: 'user' };
      const platform = options.platformKeys[provider];
      return platform ? { provider, apiKey: platform, source: 'platform' } : undefined;
    },

    async recordUsage(credential: ProviderCredential, userId, units = 1) {
      if (credential.source !== 'user' || !userId) return;
      try {
        await options.apiKeys.post(
          INTERNAL_USAGE_PATH,
          { provider: credential.provider, units },
          { onBehalfOf: onBehalfOf(userId), timeoutMs },
        );
      } catch (err) {
        // The provider call itself succeeded; a lost usage count must not undo it.
        options.logger.warn(
          { provider: credential.provider, err: (err as Error).message },
          'could not record BYO key usage',
        );
      }
    },
  };
}

/** The resolver of a mesh service: its api-key client and the platform keys of its env. */
export function providerKeyResolverFor(
  ctx: Pick<ServiceContext, 'client' | 'env' | 'logger'>,
  options: Pick<MeshKeyResolverOptions, 'cacheMs' | 'timeoutMs'> = {},
): ProviderKeyResolver {
  return meshKeyResolver({
    apiKeys: ctx.client('api-key'),
    platformKeys: platformKeysFromEnv(ctx.env),
    logger: ctx.logger,
    ...options,
  });
}

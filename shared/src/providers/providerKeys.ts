/**
 * The contract between the api-key service and the cloud adapters: which key
 * a provider call is made with, and the record that it was made.
 *
 * A user's own key (BYO) wins over the platform's; calls made with a user's
 * key are recorded as that user's usage and do not consume the platform quota.
 */
export const PROVIDERS = ['gemini', 'fal', 'elevenlabs', 'google-cloud'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface ProviderCredential {
  provider: Provider;
  /** The plaintext key. Never logged, never sent to a browser. */
  apiKey: string;
  /** 'user' when the caller brought the key, 'platform' when it is ours. */
  source: 'user' | 'platform';
}

export interface ProviderKeyResolver {
  /**
   * The key to call `provider` with for `userId` (undefined for platform work):
   * the user's stored key when there is one, else the platform key, else undefined
   * (the provider is not configured: the caller falls back to its offline adapter
   * or answers 503).
   */
  resolve(provider: Provider, userId: string | undefined): Promise<ProviderCredential | undefined>;
  /** Records one call made with a user's key (usage shown by GET /v1/quota); a no-op for platform keys. */
  recordUsage(credential: ProviderCredential, userId: string | undefined, units?: number): Promise<void>;
}

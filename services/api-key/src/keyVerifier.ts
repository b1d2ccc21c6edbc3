import type { Provider } from '@storyreel/shared';

/** What the provider said of a key: it works, it refused it, or it could not be asked. */
export type Verification = 'verified' | 'rejected' | 'not verified';

export interface KeyVerifier {
  verify(provider: Provider, apiKey: string): Promise<Verification>;
}

/** Where each provider is reached: production hosts, or a fake provider on loopback in tests. */
export const PROVIDER_BASE_URLS: Record<Provider, string> = {
  gemini: 'https://generativelanguage.googleapis.com',
  'google-cloud': 'https://texttospeech.googleapis.com',
  elevenlabs: 'https://api.elevenlabs.io',
  fal: 'https://api.fal.ai',
};

/** One cheap authenticated read per provider: it costs nothing and fails only for a bad key. */
const PROBES: Record<Provider, (apiKey: string) => { path: string; headers: Record<string, string> }> = {
  gemini: (apiKey) => ({ path: '/v1beta/models?pageSize=1', headers: { 'x-goog-api-key': apiKey } }),
  'google-cloud': (apiKey) => ({ path: '/v1/voices?languageCode=en-US', headers: { 'x-goog-api-key': apiKey } }),
  elevenlabs: (apiKey) => ({ path: '/v1/models', headers: { 'xi-api-key': apiKey } }),
  fal: (apiKey) => ({ path: '/v1/models?limit=1', headers: { authorization: `Key ${apiKey}` } }),
};

/** Google answers a bad key with 400 API_KEY_INVALID rather than 401. */
const KEY_INVALID = /API_KEY_INVALID|API key not valid/i;

export interface HttpKeyVerifierOptions {
  baseUrls?: Partial<Record<Provider, string>>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Asks the provider. Only a refusal of the key is "rejected": a provider
 * that cannot be reached, is rate limiting or is failing says nothing about
 * the key, which is then "not verified".
 */
export function httpKeyVerifier(options: HttpKeyVerifierOptions = {}): KeyVerifier {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    async verify(provider, apiKey) {
      const probe = PROBES[provider](apiKey);
      const base = (options.baseUrls?.[provider] ?? PROVIDER_BASE_URLS[provider]).replace(/\/+$/, '');
      let res: Response;
      try {
        res = await doFetch(`${base}${probe.path}`, {
          headers: { accept: 'application/json', ...probe.headers },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch {
        return 'not verified';
      }
      if (res.ok) {
        await res.body?.cancel();
        return 'verified';
      }
      const text = await res.text().catch(() => '');
      const refused = res.status === 401 || res.status === 403 || (res.status === 400 && KEY_INVALID.test(text));
      return refused ? 'rejected' : 'not verified';
    },
  };
}

/** Offline (PROVIDERS=offline): no provider is reachable, so nothing is asked. */
export const offlineKeyVerifier: KeyVerifier = {
  verify: async () => 'not verified',
};

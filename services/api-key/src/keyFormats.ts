import { PROVIDER_LABELS, type Provider, unprocessable } from '@storyreel/shared';

/** What each provider's keys look like, and how to say so to someone who pasted something else. */
const FORMATS: Record<Provider, { pattern: RegExp; expected: string }> = {
  gemini: { pattern: /^AIza[0-9A-Za-z_-]{35}$/, expected: 'a Gemini API key starts with "AIza" and has 39 characters' },
  'google-cloud': {
    pattern: /^AIza[0-9A-Za-z_-]{35}$/,
    expected: 'a Google Cloud API key starts with "AIza" and has 39 characters',
  },
  elevenlabs: {
    pattern: /^(sk_[0-9a-f]{48}|[0-9a-f]{32})$/,
    expected: 'an ElevenLabs API key is "sk_" and 48 hex digits (older keys: 32 hex digits)',
  },
  fal: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[0-9a-f]{32}$/i,
    expected: 'a fal key is "<key id>:<key secret>", a UUID and 32 hex digits joined by a colon',
  },
};

/**
 * The key as the provider expects it (surrounding whitespace from a paste
 * removed), or a 422 naming the provider. The message never repeats the key.
 */
export function checkKeyFormat(provider: Provider, pasted: string): string {
  const apiKey = pasted.trim();
  const { pattern, expected } = FORMATS[provider];
  if (pattern.test(apiKey)) return apiKey;
  const message = `this is not a ${PROVIDER_LABELS[provider]} key: ${expected}`;
  throw unprocessable(message, { provider, fields: [{ field: 'apiKey', message }] });
}

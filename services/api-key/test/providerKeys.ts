import { type FakeProviderServer, fakeProviderServer } from '@storyreel/shared/testing';

/** Well-formed keys (made up) that the fake provider accepts; anything else it refuses as its provider does. */
export const GOOD_KEYS = {
  gemini: 'AIzaSyGoodGeminiKey_0123456789abcdefghi',
  'google-cloud': 'AIzaSyGoodCloudKey-0123456789abcdefghij',
  elevenlabs: `sk_${'a1'.repeat(24)}`,
  fal: '3f0c9a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6:0123456789abcdef0123456789abcdef',
} as const;

/** Well-formed too, but the fake provider refuses them. */
export const REVOKED_GEMINI_KEY = 'AIzaSyRevokedGeminiKey0123456789abcdefg';
export const REVOKED_ELEVENLABS_KEY = `sk_${'0f'.repeat(24)}`;

/** The keys the fake providers take; a test may revoke one, as a user can at the provider. */
export const ACCEPTED = new Set<string>(Object.values(GOOD_KEYS));

/**
 * One loopback server standing in for the four providers' cheap
 * authenticated reads, answering as each does: Google with 400
 * API_KEY_INVALID, ElevenLabs and fal with 401.
 */
export function fakeProviders(): Promise<FakeProviderServer> {
  return fakeProviderServer((req) => {
    const googleKey = req.headers['x-goog-api-key'];
    if (req.path === '/v1beta/models' || req.path === '/v1/voices') {
      if (typeof googleKey === 'string' && ACCEPTED.has(googleKey)) return { json: { models: [], voices: [] } };
      return {
        status: 400,
        json: {
          error: {
            code: 400,
            message: 'API key not valid. Please pass a valid API key.',
            status: 'INVALID_ARGUMENT',
            details: [{ reason: 'API_KEY_INVALID' }],
          },
        },
      };
    }
    if (req.path === '/v1/models' && req.headers['xi-api-key'] !== undefined) {
      return ACCEPTED.has(String(req.headers['xi-api-key']))
        ? { json: [{ model_id: 'eleven_multilingual_v2' }] }
        : { status: 401, json: { detail: { status: 'invalid_api_key', message: 'Invalid API key' } } };
    }
    if (req.path === '/v1/models') {
      const key = String(req.headers.authorization ?? '').replace(/^Key /, '');
      return ACCEPTED.has(key) ? { json: { models: [] } } : { status: 401, json: { detail: 'Unauthorized' } };
    }
    return { status: 404, json: { error: 'no such route' } };
  });
}

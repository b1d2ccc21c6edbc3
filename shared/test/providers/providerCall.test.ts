import {
  type AppError,
  createProviderCaller,
  type Provider,
  type ProviderCredential,
  type ProviderKeyResolver,
  providerError,
} from '@storyreel/shared';
import { describe, expect, it } from 'vitest';

const FAST = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterSeconds: 5 };

function fakeKeys(userKeys: Record<string, string>, platform: string | undefined) {
  const usage: { userId: string | undefined; units: number; source: string }[] = [];
  const keys: ProviderKeyResolver = {
    async resolve(provider: Provider, userId) {
      const own = userId ? userKeys[userId] : undefined;
      if (own) return { provider, apiKey: own, source: 'user' };
      return platform ? { provider, apiKey: platform, source: 'platform' } : undefined;
    },
    async recordUsage(credential: ProviderCredential, userId, units = 1) {
      if (credential.source === 'user') usage.push({ userId, units, source: credential.source });
    },
  };
  return { keys, usage };
}

let endpoint = 0;
const caller = (keys: ProviderKeyResolver, timeoutMs = 1000) =>
  createProviderCaller({ provider: 'gemini', keys, timeoutMs, endpoint: `test://${++endpoint}`, policy: FAST });

describe('provider calls', () => {
  it("uses the user's own key and records usage against it, the platform key otherwise", async () => {
    const { keys, usage } = fakeKeys({ alice: 'alice-key' }, 'platform-key');
    const call = caller(keys);
    const seen: string[] = [];
    const run = async ({ credential }: { credential: ProviderCredential }) => {
      seen.push(credential.apiKey);
      return 'ok';
    };
    await call({ userId: 'alice' }, run, () => 42);
    await call({ userId: 'bob' }, run);
    await call({}, run);
    expect(seen).toEqual(['alice-key', 'platform-key', 'platform-key']);
    expect(usage).toEqual([{ userId: 'alice', units: 42, source: 'user' }]);
  });

  it('answers 503 naming the provider when no key is configured', async () => {
    const { keys } = fakeKeys({}, undefined);
    const err = await caller(keys)({ userId: 'bob' }, async () => 'never').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', status: 503 });
    expect((err as Error).message).toMatch(/Gemini is not configured/);
  });

  it('retries a provider outage and succeeds; does not retry a refused key', async () => {
    const { keys, usage } = fakeKeys({ alice: 'alice-key' }, 'platform-key');
    const call = caller(keys);
    let tries = 0;
    const flaky = await call({ userId: 'alice' }, async () => {
      tries++;
      if (tries < 3) throw Object.assign(new Error('overloaded'), { status: 503 });
      return 'done';
    });
    expect(flaky).toBe('done');
    expect(tries).toBe(3);
    expect(usage).toHaveLength(1);

    let refused = 0;
    const err = await call({ userId: 'alice' }, async () => {
      refused++;
      throw Object.assign(new Error('got status: 400. API key not valid. Please pass a valid API key. alice-key'), {
        status: 400,
      });
    }).catch((e: unknown) => e);
    expect(refused).toBe(1);
    expect(err).toMatchObject({ code: 'unauthenticated', status: 401, details: { provider: 'gemini' } });
    expect((err as Error).message).toMatch(/Gemini rejected your API key/);
    expect(JSON.stringify((err as AppError).toBody())).not.toContain('alice-key');
    expect(usage).toHaveLength(1);
  });

  it('turns its own deadline into a retryable 504', async () => {
    const { keys } = fakeKeys({}, 'platform-key');
    let tries = 0;
    const err = await caller(keys, 50)({}, ({ signal }) => {
      tries++;
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'deadline_exceeded', status: 504 });
    expect(tries).toBe(3);
  });

  it('stops at once when the caller cancels', async () => {
    const { keys } = fakeKeys({}, 'platform-key');
    const cancel = new AbortController();
    let tries = 0;
    const pending = caller(keys)({ signal: cancel.signal }, ({ signal }) => {
      tries++;
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    setTimeout(() => cancel.abort(new Error('job cancelled')), 20);
    await expect(pending).rejects.toThrow('job cancelled');
    expect(tries).toBe(1);
    await expect(caller(keys)({ signal: cancel.signal }, async () => 'late')).rejects.toThrow('job cancelled');
  });
});

describe('provider errors', () => {
  const user = { provider: 'elevenlabs' as const, source: 'user' as const, apiKey: 'sk_user' };
  const platform = { ...user, source: 'platform' as const, apiKey: 'sk_platform' };

  it('maps a quota answer to 429 with the Retry-After the provider gave', () => {
    const headers = new Headers({ 'retry-after': '17' });
    const err = providerError(
      Object.assign(new Error('Status code: 429'), { statusCode: 429, rawResponse: { headers } }),
      { credential: user },
    );
    expect(err).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: 17 });
    expect(err.message).toMatch(/ElevenLabs/);
  });

  it("reads ElevenLabs' 401 quota_exceeded as a quota, not a bad key", () => {
    const body = { detail: { status: 'quota_exceeded', message: 'This request exceeds your quota of 10000.' } };
    const err = providerError(Object.assign(new Error('Status code: 401'), { statusCode: 401, body }), {
      credential: user,
    });
    expect(err).toMatchObject({ code: 'rate_limited', status: 429 });
  });

  it("reads Gemini's retryDelay as Retry-After", () => {
    const message =
      'got status: 429 Too Many Requests. {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"27.5s"}]}}';
    const err = providerError(Object.assign(new Error(message), { status: 429 }), {
      credential: { ...user, provider: 'gemini' },
    });
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 28 });
  });

  it('maps gRPC statuses from the Google Cloud clients', () => {
    const cloud = { ...user, provider: 'google-cloud' as const };
    expect(
      providerError(Object.assign(new Error('16 UNAUTHENTICATED'), { code: 16 }), { credential: cloud }),
    ).toMatchObject({
      code: 'unauthenticated',
    });
    expect(
      providerError(Object.assign(new Error('8 RESOURCE_EXHAUSTED'), { code: 8 }), { credential: cloud }),
    ).toMatchObject({
      code: 'rate_limited',
    });
    expect(
      providerError(Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }), { credential: cloud }),
    ).toMatchObject({
      code: 'unavailable',
      status: 503,
    });
    expect(
      providerError(Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4 }), { credential: cloud }),
    ).toMatchObject({
      code: 'deadline_exceeded',
      status: 504,
    });
  });

  it("does not blame the user for the platform's key, and never repeats a key", () => {
    const err = providerError(Object.assign(new Error('invalid key sk_platform'), { statusCode: 401 }), {
      credential: platform,
    });
    expect(err).toMatchObject({ code: 'unavailable', status: 503, details: { reason: 'provider_key_rejected' } });
    expect(JSON.stringify(err.toBody())).not.toContain('sk_platform');
  });

  it('maps a network failure to a retryable 503', () => {
    expect(providerError(new TypeError('fetch failed'), { credential: user })).toMatchObject({
      code: 'unavailable',
      status: 503,
    });
  });
});

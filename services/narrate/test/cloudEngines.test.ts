import { createLogger, MESH_HEADER, providerKeyResolverFor } from '@storyreel/shared';
import {
  createTestService,
  type FakeProviderServer,
  fakeKeyResolver,
  fakeProviderServer,
  fixturesBeside,
  ONE_TRY,
  userHeaders,
} from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { elevenLabsEngine } from '../src/adapters/elevenLabsEngine.js';
import { googleTtsEngine, MAX_SSML_BYTES, markedSsml, ssmlParts } from '../src/adapters/googleTtsEngine.js';
import { narrateRoutes } from '../src/routes.js';
import { speechEngineFor } from '../src/speechEngineFor.js';
import { findVoice, type Voice } from '../src/voices.js';

const fixture = fixturesBeside(import.meta.url);
const voice = findVoice('en-gb-1') as Voice;
const keys = () =>
  fakeKeyResolver(
    { alice: { elevenlabs: 'sk_alice_own_key', 'google-cloud': 'AIza-alice-own-key' } },
    { elevenlabs: 'sk_platform_key', 'google-cloud': 'AIza-platform-key' },
  );

let server: FakeProviderServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ElevenLabs engine', () => {
  it("speaks with the user's own key, turns character timings into words and records the usage", async () => {
    server = await fakeProviderServer(() => ({ json: fixture('elevenlabs-with-timestamps') }));
    const resolver = keys();
    const engine = elevenLabsEngine({ keys: resolver, baseUrl: server.url, policy: ONE_TRY });
    const speech = await engine.synthesize('Hello, old friend.', voice, 1, { userId: 'alice' });

    const [req] = server.received;
    expect(req?.headers['xi-api-key']).toBe('sk_alice_own_key');
    expect(req?.path).toBe('/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/with-timestamps');
    expect(req?.query.get('output_format')).toBe('pcm_24000');
    expect(req?.json()).toMatchObject({ text: 'Hello, old friend.', model_id: 'eleven_multilingual_v2' });

    expect(speech.wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(speech.durationSeconds).toBeCloseTo(1.2, 3);
    expect(speech.words).toEqual([
      { text: 'Hello', start: 0, end: 0.3 },
      { text: 'old', start: 0.42, end: 0.6 },
      { text: 'friend', start: 0.66, end: 1.02 },
    ]);
    expect(resolver.usage).toEqual([{ provider: 'elevenlabs', userId: 'alice', units: 18 }]);
  });

  it('uses the platform key for a user without one, and records nothing', async () => {
    server = await fakeProviderServer(() => ({ json: fixture('elevenlabs-with-timestamps') }));
    const resolver = keys();
    await elevenLabsEngine({ keys: resolver, baseUrl: server.url }).synthesize('Hello, old friend.', voice, 1, {
      userId: 'bob',
    });
    expect(server.received[0]?.headers['xi-api-key']).toBe('sk_platform_key');
    expect(resolver.usage).toEqual([]);
  });

  it("answers 401 naming ElevenLabs when the user's key is refused, and never repeats the key", async () => {
    server = await fakeProviderServer(() => ({ status: 401, json: fixture('elevenlabs-key-refused') }));
    const engine = elevenLabsEngine({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const err = await engine.synthesize('Hi.', voice, 1, { userId: 'alice' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unauthenticated', status: 401, details: { provider: 'elevenlabs' } });
    expect((err as Error).message).toBe('ElevenLabs rejected your API key; check or replace your ElevenLabs key');
    expect(JSON.stringify(err)).not.toContain('sk_alice_own_key');
    expect(server.received).toHaveLength(1);
  });

  it('answers 429 with the Retry-After ElevenLabs gave, after the shared retries', async () => {
    server = await fakeProviderServer(() => ({
      status: 429,
      json: fixture('elevenlabs-too-many-requests'),
      headers: { 'retry-after': '1' },
    }));
    const policy = { attempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterSeconds: 5 };
    const engine = elevenLabsEngine({ keys: keys(), baseUrl: server.url, policy });
    const err = await engine.synthesize('Hi.', voice, 1, { userId: 'bob' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: 1 });
    expect(server.received).toHaveLength(2);
  });

  it('reads an exhausted quota (a 401 in ElevenLabs) as 429, not as a bad key', async () => {
    server = await fakeProviderServer(() => ({ status: 401, json: fixture('elevenlabs-quota-exceeded') }));
    const engine = elevenLabsEngine({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const err = await engine.synthesize('Hi.', voice, 1, { userId: 'alice' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'rate_limited', status: 429 });
    expect((err as Error).message).toMatch(/your ElevenLabs key is over its quota/);
  });

  it('gives up on a provider that does not answer in time (504)', async () => {
    server = await fakeProviderServer(() => ({ json: fixture('elevenlabs-with-timestamps'), delayMs: 1500 }));
    const engine = elevenLabsEngine({ keys: keys(), baseUrl: server.url, timeoutMs: 200, policy: ONE_TRY });
    const err = await engine.synthesize('Hi.', voice, 1, { userId: 'bob' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'deadline_exceeded', status: 504 });
  });
});

describe('Google Text-to-Speech engine', () => {
  const endpoint = (s: FakeProviderServer) => ({ apiEndpoint: '127.0.0.1', port: s.port, protocol: 'http' as const });

  it('marks every word in SSML and reads word starts from the timepoints', async () => {
    server = await fakeProviderServer(() => ({ json: fixture('google-tts-synthesize') }));
    const resolver = keys();
    const engine = googleTtsEngine({ keys: resolver, ...endpoint(server), policy: ONE_TRY });
    const speech = await engine.synthesize('Hello, old friend.', voice, 1.25, { userId: 'alice' });

    const [req] = server.received;
    expect(req?.path).toBe('/v1beta1/text:synthesize');
    expect(req?.headers['x-goog-api-key']).toBe('AIza-alice-own-key');
    const body = req?.json<{ input: { ssml: string }; voice: unknown; audioConfig: { speakingRate: number } }>();
    expect(body?.input.ssml).toBe('<speak><mark name="0"/>Hello, <mark name="1"/>old <mark name="2"/>friend.</speak>');
    expect(body?.voice).toMatchObject({ languageCode: 'en-GB' });
    expect(body?.audioConfig.speakingRate).toBe(1.25);

    expect(speech.durationSeconds).toBeCloseTo(1.2, 3);
    expect(speech.words).toEqual([
      { text: 'Hello', start: 0.05, end: 0.42 },
      { text: 'old', start: 0.42, end: 0.71 },
      { text: 'friend', start: 0.71, end: speech.durationSeconds },
    ]);
    expect(resolver.usage).toEqual([{ provider: 'google-cloud', userId: 'alice', units: 18 }]);
  });

  it('escapes the text so a story cannot inject SSML', () => {
    expect(markedSsml('Tom & <break time="9s"/> Jerry').ssml).toBe(
      '<speak><mark name="0"/>Tom &amp; <mark name="1"/>&lt;break <mark name="2"/>time=&quot;9s&quot;/&gt; <mark name="3"/>Jerry</speak>',
    );
  });

  it("maps Google's API_KEY_INVALID to a 401 naming Google Cloud, and quota to 429", async () => {
    server = await fakeProviderServer((_req, n) =>
      n === 1
        ? { status: 400, json: fixture('google-api-key-invalid') }
        : { status: 429, json: fixture('google-quota-exhausted') },
    );
    const engine = googleTtsEngine({ keys: keys(), ...endpoint(server), policy: ONE_TRY });
    const bad = await engine.synthesize('Hi.', voice, 1, { userId: 'alice' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'unauthenticated', status: 401, details: { provider: 'google-cloud' } });
    expect((bad as Error).message).toMatch(/Google Cloud rejected your API key/);
    const quota = await engine.synthesize('Hi.', voice, 1, { userId: 'alice' }).catch((e: unknown) => e);
    expect(quota).toMatchObject({ code: 'rate_limited', status: 429 });
  });
});

describe('POST /v1/narrate with a cloud engine', () => {
  it("speaks for a user with a stored key with THAT key, and for a user without keys with the platform's", async () => {
    server = await fakeProviderServer(() => ({ json: fixture('elevenlabs-with-timestamps') }));
    const engine = elevenLabsEngine({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const svc = await createTestService({ name: 'narrate', routes: narrateRoutes(engine) });
    try {
      for (const uid of ['alice', 'bob']) {
        const res = await supertest(svc.app)
          .post('/v1/narrate')
          .set(userHeaders(uid))
          .send({ projectId: 'p1', voice: 'en-gb-1', scenes: [{ id: 's1', text: 'Hello, old friend.' }] })
          .expect(200);
        expect(res.body.scenes[0].words.map((w: { text: string }) => w.text)).toEqual(['Hello,', 'old', 'friend.']);
      }
      expect(server.received.map((r) => r.headers['xi-api-key'])).toEqual(['sk_alice_own_key', 'sk_platform_key']);
    } finally {
      await svc.close();
    }
  });

  it('answers a refused key with the error shape and no key in it', async () => {
    server = await fakeProviderServer(() => ({ status: 401, json: fixture('elevenlabs-key-refused') }));
    const engine = elevenLabsEngine({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const svc = await createTestService({ name: 'narrate', routes: narrateRoutes(engine) });
    try {
      const res = await supertest(svc.app)
        .post('/v1/narrate')
        .set(userHeaders('alice'))
        .send({ projectId: 'p2', voice: 'en-gb-1', scenes: [{ id: 's1', text: 'Hello.' }] })
        .expect(401);
      expect(res.body.error).toMatchObject({ code: 'unauthenticated', details: { provider: 'elevenlabs' } });
      expect(JSON.stringify(res.body)).not.toContain('sk_alice');
    } finally {
      await svc.close();
    }
  });
});

describe('narrate with the api-key service behind the key resolver', () => {
  it("asks api-key for the caller's stored key (mesh-only route), records the usage there, and falls back to the platform key", async () => {
    server = await fakeProviderServer(() => ({ json: fixture('elevenlabs-with-timestamps') }));
    const provider = server;
    // api-key's internal routes as the contract describes them: a stored key, or 404 when there is none.
    const apiKey = await fakeProviderServer((req) => {
      const uid = req.headers['x-storyreel-user'];
      if (req.method === 'GET' && req.path === '/internal/v1/keys/elevenlabs') {
        return uid === 'alice'
          ? { json: { provider: 'elevenlabs', apiKey: 'sk_alice_stored' } }
          : { status: 404, json: { error: { code: 'not_found', message: 'no elevenlabs key' } } };
      }
      if (req.method === 'POST' && req.path === '/internal/v1/usage') return { status: 204 };
      return { status: 404, json: { error: { code: 'not_found', message: req.path } } };
    });
    const svc = await createTestService({
      name: 'narrate',
      envOverrides: {
        PROVIDERS: 'cloud',
        ELEVENLABS_API_KEY: 'sk_platform_from_env',
        SERVICE_URLS: JSON.stringify({ 'api-key': apiKey.url }),
      },
      routes: (ctx) =>
        narrateRoutes(elevenLabsEngine({ keys: providerKeyResolverFor(ctx), baseUrl: provider.url, policy: ONE_TRY }))(
          ctx,
        ),
    });
    try {
      for (const uid of ['alice', 'bob']) {
        await supertest(svc.app)
          .post('/v1/narrate')
          .set(userHeaders(uid))
          .send({ projectId: 'p1', voice: 'en-gb-1', scenes: [{ id: 's1', text: 'Hello, old friend.' }] })
          .expect(200);
      }
      expect(provider.received.map((r) => r.headers['xi-api-key'])).toEqual([
        'sk_alice_stored',
        'sk_platform_from_env',
      ]);
      const usage = apiKey.received.filter((r) => r.path === '/internal/v1/usage');
      expect(usage.map((r) => [r.headers['x-storyreel-user'], r.json()])).toEqual([
        ['alice', { provider: 'elevenlabs', units: 18 }],
      ]);
      // Only mesh calls reach api-key's internal routes.
      expect(apiKey.received.every((r) => String(r.headers[MESH_HEADER]).startsWith('Bearer '))).toBe(true);
    } finally {
      await svc.close();
      await apiKey.close();
    }
  });
});

describe('speechEngineFor', () => {
  it('picks eSpeak offline, and the configured cloud engine with PROVIDERS=cloud', async () => {
    const engines: string[] = [];
    const envs: Record<string, string>[] = [
      {},
      { PROVIDERS: 'cloud' },
      { PROVIDERS: 'cloud', CLOUD_SPEECH_PROVIDER: 'google' },
    ];
    for (const env of envs) {
      const svc = await createTestService({ name: 'narrate', envOverrides: env, routes: () => [] });
      engines.push(speechEngineFor(svc.ctx).name);
      await svc.close();
    }
    expect(engines).toEqual(['espeak', 'elevenlabs', 'google-tts']);
  });
});

describe('keys in logs', () => {
  it('never writes a key to the logs, whatever the provider answers', async () => {
    let n = 0;
    server = await fakeProviderServer(() => {
      n++;
      if (n === 1) return { status: 503, json: { detail: { status: 'system_busy', message: 'busy' } } };
      if (n === 2) return { json: fixture('elevenlabs-with-timestamps') };
      return { status: 401, json: fixture('elevenlabs-key-refused') };
    });
    const lines: string[] = [];
    const logger = createLogger('narrate', 'debug', { write: (line: string) => void lines.push(line) });
    const policy = { attempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterSeconds: 5 };
    const engine = elevenLabsEngine({ keys: keys(), baseUrl: server.url, policy, logger });
    const svc = await createTestService({ name: 'narrate', logger, routes: narrateRoutes(engine) });
    try {
      const scene = (text: string) => ({ projectId: 'p9', voice: 'en-gb-1', scenes: [{ id: 's1', text }] });
      await supertest(svc.app)
        .post('/v1/narrate')
        .set(userHeaders('alice'))
        .send(scene('Hello, old friend.'))
        .expect(200);
      await supertest(svc.app).post('/v1/narrate').set(userHeaders('alice')).send(scene('Goodbye.')).expect(401);
    } finally {
      await svc.close();
    }
    const log = lines.join('');
    expect(log).toContain('retrying a provider call');
    expect(log).toContain('ElevenLabs rejected your API key');
    expect(log).not.toContain('sk_alice_own_key');
    expect(log).not.toContain('sk_platform_key');
  });
});

describe('Google Text-to-Speech and long scenes', () => {
  it("cuts a scene whose SSML would pass Google's 5,000-byte limit at sentence ends, and joins the audio and timings", async () => {
    const sentence = 'The keeper climbed the long winding stair again tonight.';
    const text = Array.from({ length: 40 }, () => sentence).join(' ');
    const parts = ssmlParts(text);
    expect(parts.length).toBe(2);
    expect(parts.join(' ')).toBe(text);
    expect(parts.every((p) => Buffer.byteLength(markedSsml(p).ssml) <= MAX_SSML_BYTES)).toBe(true);
    expect(parts.every((p) => p.endsWith('tonight.'))).toBe(true);

    server = await fakeProviderServer(() => ({ json: fixture('google-tts-synthesize') }));
    const engine = googleTtsEngine({
      keys: keys(),
      apiEndpoint: '127.0.0.1',
      port: server.port,
      protocol: 'http',
      policy: ONE_TRY,
    });
    const speech = await engine.synthesize(text, voice, 1, { userId: 'alice' });
    expect(server.received).toHaveLength(2);
    // Each recorded answer is 1.2 s with marks 0-2 timed: the second part's words start 1.2 s later.
    expect(speech.durationSeconds).toBeCloseTo(2.4, 3);
    expect(speech.words?.slice(3, 6).map((w) => w.start)).toEqual([1.25, 1.62, 1.91].map((t) => expect.closeTo(t, 6)));
  });
});

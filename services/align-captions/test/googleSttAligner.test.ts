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
import { googleSttAligner } from '../src/adapters/googleSttAligner.js';
import { alignCaptionsRoutes } from '../src/routes.js';
import { timeTranscript } from '../src/transcriptMatch.js';

const fixture = fixturesBeside(import.meta.url);
const TEXT = 'Hello, old friend of 42 years.';

/** Two seconds of a 220 Hz tone as a 16-bit mono WAV at 24 kHz (the recogniser's answer is recorded). */
function toneWav(seconds = 2, rate = 24_000): Buffer {
  const pcm = Buffer.alloc(Math.round(seconds * rate) * 2);
  for (let i = 0; i < pcm.length / 2; i++)
    pcm.writeInt16LE(Math.round(4000 * Math.sin((2 * Math.PI * 220 * i) / rate)), i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + pcm.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([h, pcm]);
}

const keys = () =>
  fakeKeyResolver({ alice: { 'google-cloud': 'AIza-alice-own' } }, { 'google-cloud': 'AIza-platform' });
const endpoint = (s: FakeProviderServer) => ({ apiEndpoint: '127.0.0.1', port: s.port, protocol: 'http' as const });

let server: FakeProviderServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Google Speech-to-Text aligner', () => {
  it("recognises 16 kHz LINEAR16 with word offsets, with the user's key, and times the transcript's own words", async () => {
    server = await fakeProviderServer(() => ({ json: fixture('google-stt-recognize') }));
    const resolver = keys();
    const aligner = googleSttAligner({ keys: resolver, ...endpoint(server), policy: ONE_TRY });
    const words = await aligner.align(toneWav(), TEXT, 'en-GB', { userId: 'alice' });

    const [req] = server.received;
    expect(req?.path).toBe('/v1/speech:recognize');
    expect(req?.headers['x-goog-api-key']).toBe('AIza-alice-own');
    const body = req?.json<{ config: Record<string, unknown>; audio: { content: string } }>();
    expect(body?.config).toMatchObject({ sampleRateHertz: 16000, languageCode: 'en-GB', enableWordTimeOffsets: true });
    // Two seconds of 16-bit samples at 16 kHz.
    expect(Buffer.from(body?.audio.content ?? '', 'base64').length).toBe(64_000);

    expect(words).toEqual([
      { text: 'Hello', start: 0.1, end: 0.4 },
      { text: 'old', start: 0.4, end: 0.6 },
      { text: 'friend', start: 0.6, end: 0.9 },
      { text: 'of', start: 0.9, end: 1 },
      // "42" was heard as "forty two": it takes the time between its neighbours.
      { text: '42', start: 1, end: 1.5 },
      { text: 'years', start: 1.5, end: 1.9 },
    ]);
    expect(resolver.usage).toEqual([{ provider: 'google-cloud', userId: 'alice', units: 2 }]);
  });

  it("maps Google's API_KEY_INVALID to 401 and an outage to 503", async () => {
    server = await fakeProviderServer((_req, n) =>
      n === 1
        ? { status: 400, json: fixture('google-api-key-invalid') }
        : { status: 503, json: fixture('google-unavailable') },
    );
    const aligner = googleSttAligner({ keys: keys(), ...endpoint(server), policy: ONE_TRY });
    const bad = await aligner.align(toneWav(), TEXT, 'en-GB', { userId: 'alice' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'unauthenticated', status: 401, details: { provider: 'google-cloud' } });
    const down = await aligner.align(toneWav(), TEXT, 'en-GB', { userId: 'bob' }).catch((e: unknown) => e);
    expect(down).toMatchObject({ code: 'unavailable', status: 503 });
  });
});

describe('timeTranscript', () => {
  it('spreads words the recogniser missed at the end up to the end of the audio', () => {
    expect(timeTranscript('one two three', [{ text: 'one', start: 0, end: 0.5 }], 2)).toEqual([
      { text: 'one', start: 0, end: 0.5 },
      { text: 'two', start: 0.5, end: 1.25 },
      { text: 'three', start: 1.25, end: 2 },
    ]);
  });
});

describe('POST /v1/align with the cloud aligner', () => {
  it("aligns for a user with a stored key with THAT key, and for a user without keys with the platform's", async () => {
    server = await fakeProviderServer(() => ({ json: fixture('google-stt-recognize') }));
    const aligner = googleSttAligner({ keys: keys(), ...endpoint(server), policy: ONE_TRY });
    const svc = await createTestService({ name: 'align-captions', routes: alignCaptionsRoutes(aligner) });
    try {
      for (const uid of ['alice', 'bob']) {
        const audioPath = `gs://${svc.ctx.buckets.media}/users/${uid}/projects/p1/narration/s1.wav`;
        await svc.ctx.blobs.put(audioPath, toneWav(), { contentType: 'audio/wav' });
        const res = await supertest(svc.app)
          .post('/v1/align')
          .set(userHeaders(uid))
          .send({ audioPath, text: TEXT, language: 'en-GB' })
          .expect(200);
        expect(res.body.words.map((w: { text: string }) => w.text)).toEqual([
          'Hello,',
          'old',
          'friend',
          'of',
          '42',
          'years.',
        ]);
      }
      expect(server.received.map((r) => r.headers['x-goog-api-key'])).toEqual(['AIza-alice-own', 'AIza-platform']);
    } finally {
      await svc.close();
    }
  });
});

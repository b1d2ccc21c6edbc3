import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createTestService,
  type FakeProviderServer,
  fakeKeyResolver,
  fakeProviderServer,
  fixturesBeside,
  ONE_TRY,
  probeAudio,
  type TestService,
  userHeaders,
} from '@storyreel/shared/testing';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { elevenLabsMusic } from '../src/adapters/elevenLabsMusic.js';
import { musicRoutes } from '../src/routes.js';

const fixture = fixturesBeside(import.meta.url);

let scratch: string;
let tone: Buffer;
let server: FakeProviderServer | undefined;
let svc: TestService | undefined;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'music-cloud-test-'));
  const mp3 = join(scratch, 'tone.mp3');
  await promisify(execFile)('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=44100:duration=10'],
    ...['-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k', mp3],
  ]);
  tone = await readFile(mp3);
});
afterAll(() => rm(scratch, { recursive: true, force: true }));
afterEach(async () => {
  await svc?.close();
  await server?.close();
  svc = undefined;
  server = undefined;
});

const keys = () => fakeKeyResolver({ alice: { elevenlabs: 'sk_alice_own' } }, { elevenlabs: 'sk_platform' });

async function musicService(reply: Parameters<typeof fakeProviderServer>[0]) {
  server = await fakeProviderServer(reply);
  const source = elevenLabsMusic({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
  svc = await createTestService({ name: 'music', routes: (ctx) => musicRoutes(ctx, source) });
  return svc;
}

describe('POST /v1/music with ElevenLabs Music', () => {
  it("composes for a user with a stored key with THAT key, for a user without keys with the platform's, mastered to length", async () => {
    const service = await musicService(() => ({ body: tone, headers: { 'content-type': 'audio/mpeg' } }));
    const paths: string[] = [];
    for (const uid of ['alice', 'bob']) {
      const res = await request(service.app)
        .post('/v1/music')
        .set(userHeaders(uid))
        .send({ mood: 'hopeful', durationSeconds: 14, format: 'mp3', projectId: 'p1' })
        .expect(200);
      expect(res.body).toMatchObject({ mood: 'hopeful', durationSeconds: 14, format: 'mp3', cached: false });
      paths.push(res.body.path);
    }
    expect(server?.received.map((r) => r.headers['xi-api-key'])).toEqual(['sk_alice_own', 'sk_platform']);
    const [first] = server?.received ?? [];
    expect(first?.path).toBe('/v1/music');
    expect(first?.json()).toMatchObject({ music_length_ms: 14_000, force_instrumental: true });
    expect(first?.json<{ prompt: string }>().prompt).toMatch(/hopeful/i);

    // The 10-second piece is looped to the 14 seconds asked for, then mastered like the synth's music.
    const file = join(scratch, 'alice.mp3');
    await writeFile(file, await service.ctx.blobs.get(paths[0] as string));
    const facts = await probeAudio(file);
    expect(facts.codec).toBe('mp3');
    expect(facts.durationSeconds).toBeGreaterThan(13.8);
    expect(facts.durationSeconds).toBeLessThan(14.3);
    expect(facts.integratedLufs).toBeGreaterThan(-17.5);
    expect(facts.integratedLufs).toBeLessThan(-14.5);
  });

  it("answers 401 naming ElevenLabs when the user's key is refused, with no key in the body", async () => {
    const service = await musicService(() => ({ status: 401, json: fixture('elevenlabs-key-refused') }));
    const res = await request(service.app)
      .post('/v1/music')
      .set(userHeaders('alice'))
      .send({ mood: 'calm', durationSeconds: 12 })
      .expect(401);
    expect(res.body.error).toMatchObject({ code: 'unauthenticated', details: { provider: 'elevenlabs' } });
    expect(res.body.error.message).toMatch(/ElevenLabs rejected your API key/);
    expect(JSON.stringify(res.body)).not.toContain('sk_alice');
  });

  it('answers 429 with the Retry-After ElevenLabs gave', async () => {
    const service = await musicService(() => ({
      status: 429,
      json: fixture('elevenlabs-rate-limited'),
      headers: { 'retry-after': '30' },
    }));
    const res = await request(service.app)
      .post('/v1/music')
      .set(userHeaders('bob'))
      .send({ mood: 'calm', durationSeconds: 12 })
      .expect(429);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.body.error.code).toBe('rate_limited');
  });
});

import { createTestService, serviceHeaders, type TestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { espeakEngine } from '../src/adapters/espeakEngine.js';
import { narrateRoutes } from '../src/routes.js';
import { VOICES } from '../src/voices.js';
import { wavDuration } from '../src/wavDuration.js';

let svc: TestService;
const engine = espeakEngine();

beforeAll(async () => {
  svc = await createTestService({ name: 'narrate', routes: narrateRoutes(engine) });
  await engine.warm();
});
afterAll(() => svc.close());

const SCENES = [
  { id: 's1', text: 'A small fox lived by the river.' },
  { id: 's2', text: 'One day, it found a golden key!' },
];

describe('GET /v1/voices', () => {
  it('lists the catalogue to anyone', async () => {
    const res = await supertest(svc.app).get('/v1/voices').expect(200);
    expect(res.body.voices).toHaveLength(VOICES.length);
    expect(res.body.voices[0]).toMatchObject({
      id: 'en-us-1',
      language: 'en-US',
      engine: 'espeak',
      engineVoice: 'gmw/en-US',
    });
  });
});

describe('POST /v1/narrate', () => {
  it('refuses a caller without credentials (401)', async () => {
    const res = await supertest(svc.app)
      .post('/v1/narrate')
      .send({ projectId: 'p1', voice: 'en-us-1', scenes: SCENES })
      .expect(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('names the voice field and the valid voices for an unknown voice (422)', async () => {
    const res = await supertest(svc.app)
      .post('/v1/narrate')
      .set(userHeaders('alice'))
      .send({ projectId: 'p1', voice: 'robot-9', scenes: SCENES })
      .expect(422);
    const field = res.body.error.details.fields.find((f: { field: string }) => f.field === 'voice');
    expect(field.message).toContain('en-us-1');
    expect(field.message).toContain('ru-1');
  });

  it('lists each bad field of a bad body (422)', async () => {
    const res = await supertest(svc.app)
      .post('/v1/narrate')
      .set(userHeaders('alice'))
      .send({ projectId: '../p1', voice: 'en-us-1', speed: 3, scenes: [{ id: 's1', text: '   ' }] })
      .expect(422);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'projectId',
      'scenes.0.text',
      'speed',
    ]);
  });

  it('refuses text in a script the voice cannot read (422), before making any audio', async () => {
    const res = await supertest(svc.app)
      .post('/v1/narrate')
      .set(userHeaders('alice'))
      .send({ projectId: 'p1', voice: 'en-us-1', scenes: [SCENES[0], { id: 's2', text: 'Жила-была лиса.' }] })
      .expect(422);
    expect(res.body.error.details.fields[0]).toMatchObject({
      field: 'scenes.1.text',
      message: expect.stringContaining('ru-1'),
    });
    expect(await svc.ctx.blobs.list(`gs://${svc.ctx.buckets.media}/users/alice/`)).toEqual([]);
  });

  it('speaks each scene into a stored WAV with word timings, then reuses it (cached)', async () => {
    const body = { projectId: 'p1', voice: 'en-us-1', speed: 1, scenes: SCENES };
    const first = await supertest(svc.app).post('/v1/narrate').set(userHeaders('alice')).send(body).expect(200);
    expect(first.body.scenes).toHaveLength(2);
    for (const scene of first.body.scenes) {
      expect(scene.path).toMatch(
        new RegExp(`^gs://${svc.ctx.buckets.media}/users/alice/projects/p1/narration/[0-9a-f]{24}\\.wav$`),
      );
      expect(scene.cached).toBe(false);
      const wav = await svc.ctx.blobs.get(scene.path);
      expect(wavDuration(wav)).toBeCloseTo(scene.durationSeconds, 6);
    }
    expect(first.body.scenes[1].words.map((w: { text: string }) => w.text)).toEqual([
      'One',
      'day,',
      'it',
      'found',
      'a',
      'golden',
      'key!',
    ]);

    const again = await supertest(svc.app).post('/v1/narrate').set(userHeaders('alice')).send(body).expect(200);
    expect(again.body.scenes.map((s: { cached: boolean }) => s.cached)).toEqual([true, true]);
    expect(again.body.scenes.map((s: { path: string }) => s.path)).toEqual(
      first.body.scenes.map((s: { path: string }) => s.path),
    );
    expect(again.body.scenes[1].words).toEqual(first.body.scenes[1].words);

    // Any input change is a new artefact.
    const faster = await supertest(svc.app)
      .post('/v1/narrate')
      .set(userHeaders('alice'))
      .send({ ...body, speed: 1.25 })
      .expect(200);
    expect(faster.body.scenes[0].cached).toBe(false);
    expect(faster.body.scenes[0].path).not.toBe(first.body.scenes[0].path);
  });

  it('replays the first answer for a repeated Idempotency-Key', async () => {
    const send = () =>
      supertest(svc.app)
        .post('/v1/narrate')
        .set({ ...userHeaders('alice'), 'idempotency-key': 'narrate-p2-1' })
        .send({ projectId: 'p2', voice: 'de-1', scenes: [{ id: 'a', text: 'Guten Morgen.' }] });
    const first = await send().expect(200);
    const second = await send().expect(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
  });

  it('stores a mesh call under the user it acts for, and refuses one that acts for nobody (403)', async () => {
    const body = { projectId: 'p3', voice: 'ru-1', scenes: [{ id: 'a', text: 'Привет, мир.' }] };
    const forBob = await supertest(svc.app)
      .post('/v1/narrate')
      .set(await serviceHeaders('narrate', { onBehalfOf: 'bob' }))
      .send(body)
      .expect(200);
    expect(forBob.body.scenes[0].path).toContain('/users/bob/projects/p3/narration/');
    expect(forBob.body.scenes[0].words.map((w: { text: string }) => w.text)).toEqual(['Привет,', 'мир.']);
    await supertest(svc.app)
      .post('/v1/narrate')
      .set(await serviceHeaders('narrate'))
      .send(body)
      .expect(403);
  });
});

describe('POST /v1/voices/:id/preview', () => {
  it('answers a short WAV, then the same bytes from the cache in well under 3 s', async () => {
    const first = await supertest(svc.app)
      .post('/v1/voices/en-gb-1/preview')
      .set(userHeaders('alice'))
      .send({})
      .responseType('blob')
      .expect(200);
    expect(first.headers['content-type']).toBe('audio/wav');
    expect(first.headers['x-storyreel-cache']).toBe('miss');
    const seconds = wavDuration(first.body as Buffer);
    expect(seconds).toBeGreaterThan(2);
    expect(seconds).toBeLessThan(15);

    const started = Date.now();
    const second = await supertest(svc.app)
      .post('/v1/voices/en-gb-1/preview')
      .set(userHeaders('alice'))
      .send({})
      .responseType('blob')
      .expect(200);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(second.headers['x-storyreel-cache']).toBe('hit');
    expect(Buffer.compare(second.body as Buffer, first.body as Buffer)).toBe(0);
  });

  it('speaks a given text, refuses a long one (422), an unknown voice (404) and no credentials (401)', async () => {
    const res = await supertest(svc.app)
      .post('/v1/voices/el-1/preview')
      .set(userHeaders('alice'))
      .send({ text: 'Καλημέρα' })
      .responseType('blob')
      .expect(200);
    expect(wavDuration(res.body as Buffer)).toBeGreaterThan(0.3);
    await supertest(svc.app)
      .post('/v1/voices/el-1/preview')
      .set(userHeaders('alice'))
      .send({ text: 'x'.repeat(201) })
      .expect(422);
    await supertest(svc.app).post('/v1/voices/nope/preview').set(userHeaders('alice')).send({}).expect(404);
    await supertest(svc.app).post('/v1/voices/el-1/preview').send({}).expect(401);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stream } from 'node:stream';
import {
  createTestService,
  probeAudio,
  serviceHeaders,
  type TestService,
  userHeaders,
} from '@storyreel/shared/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOODS } from '../src/moods.js';
import { musicRoutes } from '../src/routes.js';

/** supertest leaves audio bodies unread unless told to collect the bytes. */
function binary(res: Stream, done: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

let svc: TestService;
let scratch: string;

beforeAll(async () => {
  svc = await createTestService({ name: 'music', routes: musicRoutes });
  scratch = await mkdtemp(join(tmpdir(), 'music-routes-test-'));
});

afterAll(async () => {
  await svc?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('GET /v1/moods', () => {
  it('lists every mood publicly, each ending its progression on the tonic', async () => {
    const res = await request(svc.app).get('/v1/moods').expect(200);
    const moods = res.body.moods as { id: string; label: string; progression: string[]; drums: boolean }[];
    expect(moods.map((m) => m.id)).toEqual(MOODS.map((m) => m.id));
    expect(moods.length).toBeGreaterThanOrEqual(6);
    for (const m of moods) expect(['I', 'Im']).toContain(m.progression.at(-1));
    expect(moods.find((m) => m.id === 'calm')?.drums).toBe(false);
  });
});

describe('POST /v1/music', () => {
  const body = { mood: 'whimsical', durationSeconds: 6, seed: 11, format: 'mp3', projectId: 'p1' };

  it('refuses a caller without credentials', async () => {
    const res = await request(svc.app).post('/v1/music').send(body).expect(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('refuses a mesh call that does not say which user it is for', async () => {
    const res = await request(svc.app)
      .post('/v1/music')
      .set(await serviceHeaders('music'))
      .send(body)
      .expect(403);
    expect(res.body.error.code).toBe('permission_denied');
  });

  it('answers 422 naming each bad field', async () => {
    const res = await request(svc.app)
      .post('/v1/music')
      .set(userHeaders('alice'))
      .send({ mood: 'calm', durationSeconds: 2, format: 'ogg', tempo: 500, projectId: '../x' })
      .expect(422);
    expect(res.body.error.code).toBe('invalid_argument');
    const fields = (res.body.error.details.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['durationSeconds', 'format', 'projectId', 'tempo']);
  });

  it('answers 422 for an unknown mood, listing the valid ones', async () => {
    const res = await request(svc.app)
      .post('/v1/music')
      .set(userHeaders('alice'))
      .send({ mood: 'jazzy', durationSeconds: 10 })
      .expect(422);
    const problem = (res.body.error.details.fields as { field: string; message: string }[])[0];
    expect(problem?.field).toBe('mood');
    expect(problem?.message).toContain('unknown mood');
    expect(problem?.message).toContain('calm');
  });

  it('renders once, stores under the project, and answers cached: true to a repeat', async () => {
    const first = await request(svc.app).post('/v1/music').set(userHeaders('alice')).send(body).expect(200);
    expect(first.body).toMatchObject({ durationSeconds: 6, mood: 'whimsical', seed: 11, format: 'mp3', cached: false });
    expect(first.body.tempo).toBeGreaterThanOrEqual(40);
    expect(first.body.path).toMatch(
      new RegExp(`^gs://${svc.ctx.buckets.media}/users/alice/projects/p1/music/[0-9a-f]{16,}\\.mp3$`),
    );

    const local = join(scratch, 'first.mp3');
    await svc.ctx.blobs.getToFile(first.body.path, local);
    const facts = await probeAudio(local);
    expect(facts.codec).toBe('mp3');
    expect(facts.sampleRate).toBe(48_000);
    expect(facts.channels).toBe(2);
    expect(Math.abs(facts.durationSeconds - 6)).toBeLessThan(0.1);
    expect(facts.integratedLufs).toBeGreaterThan(-17.5);
    expect(facts.integratedLufs).toBeLessThan(-14.5);

    const stored = await svc.ctx.blobs.stat(first.body.path);
    const again = await request(svc.app).post('/v1/music').set(userHeaders('alice')).send(body).expect(200);
    expect(again.body).toEqual({ ...first.body, cached: true });
    // Not written again: the stored object is the first render's.
    expect(await svc.ctx.blobs.stat(first.body.path)).toEqual(stored);

    // compose acting for alice reaches the same stored file.
    const viaMesh = await request(svc.app)
      .post('/v1/music')
      .set(await serviceHeaders('music', { onBehalfOf: 'alice' }))
      .send(body)
      .expect(200);
    expect(viaMesh.body).toEqual({ ...first.body, cached: true });
  }, 60_000);

  it('renders two identical requests arriving together once, under the user when there is no project', async () => {
    const solo = { mood: 'dark', durationSeconds: 5, seed: 3, format: 'mp3' };
    const [a, b] = await Promise.all([
      request(svc.app).post('/v1/music').set(userHeaders('bob')).send(solo),
      request(svc.app).post('/v1/music').set(userHeaders('bob')).send(solo),
    ]);
    expect([a?.status, b?.status]).toEqual([200, 200]);
    expect(a?.body.path).toBe(b?.body.path);
    expect(a?.body.path).toMatch(new RegExp(`^gs://${svc.ctx.buckets.media}/users/bob/music/[0-9a-f]+\\.mp3$`));
    expect([a?.body.cached, b?.body.cached].sort()).toEqual([false, true]);
  }, 60_000);
});

describe('POST /v1/moods/:id/preview', () => {
  it('answers 404 for an unknown mood', async () => {
    const res = await request(svc.app).post('/v1/moods/jazzy/preview').set(userHeaders('alice')).expect(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.body.error.message).toContain('jazzy');
  });

  it('returns a 10-second MP3, made once and then served from storage', async () => {
    const first = await request(svc.app)
      .post('/v1/moods/calm/preview')
      .set(userHeaders('alice'))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(first.headers['content-type']).toMatch(/^audio\/mpeg/);
    expect(first.headers['x-storyreel-cache']).toBe('miss');
    expect(first.headers['x-storyreel-path']).toMatch(/\/previews\/music\/calm\/[0-9a-f]+\.mp3$/);
    const local = join(scratch, 'preview.mp3');
    await svc.ctx.blobs.getToFile(first.headers['x-storyreel-path'] as string, local);
    expect(Math.abs((await probeAudio(local)).durationSeconds - 10)).toBeLessThan(0.1);

    const second = await request(svc.app)
      .post('/v1/moods/calm/preview')
      .set(userHeaders('bob'))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(second.headers['x-storyreel-cache']).toBe('hit');
    expect((first.body as Buffer).length).toBeGreaterThan(100_000);
    expect(Buffer.compare(second.body as Buffer, first.body as Buffer)).toBe(0);
  }, 60_000);
});

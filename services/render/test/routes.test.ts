import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quotaStatus } from '@storyreel/shared';
import { createTestService, serviceHeaders, type TestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRoutes } from '../src/routes.js';
import { PROJECT, storyManifest, uploadStory } from './renderFixture.js';
import { makeCorruptImage } from './testMedia.js';

let svc: TestService;

beforeAll(async () => {
  svc = await createTestService({ name: 'render', routes: renderRoutes });
  await uploadStory(svc.ctx.blobs);
  const dir = await mkdtemp(join(tmpdir(), 'render-routes-test-'));
  await svc.ctx.blobs.putFile(`${PROJECT}/images/broken.png`, await makeCorruptImage(join(dir, 'broken.png')));
  await rm(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await svc.close();
});

/** Two one-second scenes, no extras: the smallest movie that still has narration, music and captions. */
const short = (overrides: Record<string, unknown> = {}) => {
  const story = storyManifest();
  return {
    ...story,
    scenes: story.scenes.slice(0, 2).map((s) => ({ ...s, durationSeconds: 1 })),
    narration: { kind: 'per-scene', paths: [`${PROJECT}/voice/n0.wav`, null] },
    ...overrides,
  };
};

describe('POST /v1/render', () => {
  it('refuses a bad manifest with 422 naming each field', async () => {
    const res = await supertest(svc.app)
      .post('/v1/render')
      .set(userHeaders('alice'))
      .send({ ...short(), aspect: '4:3', fps: 1000, scenes: [{ imagePath: 'http://x/y.png', durationSeconds: 2 }] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_argument');
    const fields = res.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['aspect', 'fps', 'scenes.0.imagePath']));
  });

  it('needs a signed-in user or a mesh service', async () => {
    expect((await supertest(svc.app).post('/v1/render').send(short())).status).toBe(401);
  });

  it("keeps a user to their own project: another user's input is a 404, another's output folder a 403", async () => {
    const asBob = (body: object) => supertest(svc.app).post('/v1/render').set(userHeaders('bob')).send(body);
    const theirs = await asBob(short({ outputPrefix: 'gs://storyreel-media/users/bob/projects/b1/renders' }));
    expect(theirs.status).toBe(404);
    const elsewhere = await asBob(short());
    expect(elsewhere.status).toBe(403);
    const foreign = await supertest(svc.app)
      .post('/v1/render')
      .set(userHeaders('alice'))
      .send(short({ music: { path: 'gs://some-other-bucket/users/alice/m.wav' } }));
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.details.fields[0].field).toBe('music.path');
  });

  it('says which inputs are missing', async () => {
    const res = await supertest(svc.app)
      .post('/v1/render')
      .set(userHeaders('alice'))
      .send(short({ music: { path: `${PROJECT}/music/none.wav` } }));
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields).toEqual([
      { field: 'music.path', message: `no object at ${PROJECT}/music/none.wav` },
    ]);
  });

  it('renders, reports progress under the jobId, charges the user once, and serves a repeat from the cache', async () => {
    const alice = { kind: 'user' as const, uid: 'alice', plan: 'free' as const };
    const res = await supertest(svc.app).post('/v1/render?jobId=job-1').set(userHeaders('alice')).send(short());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ width: 1280, height: 720, durationSeconds: 2.4, cached: false });
    expect(res.body.videoPath).toMatch(new RegExp(`^${PROJECT}/renders/[0-9a-f]{32}/movie\\.mp4$`));
    expect(await svc.ctx.blobs.exists(res.body.posterPath)).toBe(true);
    expect((await quotaStatus(svc.ctx.docs, alice)).used).toBe(1);

    const job = await supertest(svc.app).get('/v1/renders/job-1').set(userHeaders('alice'));
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({
      jobId: 'job-1',
      status: 'succeeded',
      stage: 'done',
      percent: 100,
      result: res.body,
    });
    expect(job.body.owner).toBeUndefined();
    expect((await supertest(svc.app).get('/v1/renders/job-1').set(userHeaders('bob'))).status).toBe(404);

    const again = await supertest(svc.app).post('/v1/render').set(userHeaders('alice')).send(short());
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...res.body, cached: true });
    expect((await quotaStatus(svc.ctx.docs, alice)).used).toBe(1);
  });

  it("holds a service calling for a user to that user's objects, and leaves charging to the service's job", async () => {
    const forCarol = await serviceHeaders('render', { from: 'compose', onBehalfOf: 'carol' });
    const stolen = await supertest(svc.app)
      .post('/v1/render')
      .set(forCarol)
      .send(short({ outputPrefix: 'gs://storyreel-media/users/carol/projects/c1/renders' }));
    expect(stolen.status).toBe(404);

    const alice = { kind: 'user' as const, uid: 'alice', plan: 'free' as const };
    const before = (await quotaStatus(svc.ctx.docs, alice)).used;
    const forAlice = await serviceHeaders('render', { from: 'compose', onBehalfOf: 'alice' });
    const res = await supertest(svc.app)
      .post('/v1/render')
      .set(forAlice)
      .send(short({ fps: 24 }));
    expect(res.status).toBe(200);
    expect(res.body.cached).toBe(false);
    // At 24 fps the 0.4 s fade is 10 frames: times are whole frames.
    expect(res.body.durationSeconds).toBeCloseTo(58 / 24, 9);
    expect((await quotaStatus(svc.ctx.docs, alice)).used).toBe(before);
  });

  it('fails readably on a broken input, stores nothing, and records the failure on the job', async () => {
    const outputPrefix = `${PROJECT}/renders-broken`;
    const body = short({ outputPrefix });
    body.scenes = body.scenes.map((s, i) => (i === 1 ? { ...s, imagePath: `${PROJECT}/images/broken.png` } : s));
    const res = await supertest(svc.app).post('/v1/render?jobId=job-broken').set(userHeaders('alice')).send(body);
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal');
    expect(res.body.error.message).toMatch(/^FFmpeg failed \(exit code \d+\): /);
    expect(res.body.error.message).toContain(`scenes.1.imagePath (${PROJECT}/images/broken.png)`);
    expect(await svc.ctx.blobs.list(outputPrefix)).toEqual([]);
    const job = await supertest(svc.app).get('/v1/renders/job-broken').set(userHeaders('alice'));
    expect(job.body).toMatchObject({ status: 'failed', error: { code: 'internal', message: res.body.error.message } });
  });
});

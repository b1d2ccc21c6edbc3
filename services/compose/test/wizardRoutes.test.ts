import { createTestService, type TestService, userHeaders } from '@storyreel/shared/testing';
import sharp from 'sharp';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIllustrator } from '../src/adapters/illustrator.js';
import { JOBS } from '../src/jobs/job.js';
import { PROJECTS, type ProjectData } from '../src/projectModel.js';
import { composeRoutes } from '../src/routes.js';

/** The two routes the wizard needs beyond the CLI's: a scene picture from an upload, and links to a made movie. */
let svc: TestService;
const alice = userHeaders('alice');
const bob = userHeaders('bob');
const STORY = 'The fox woke at dawn. She ran across the frozen field. At the sea she finally stopped.';

beforeAll(async () => {
  svc = await createTestService({ name: 'compose', routes: composeRoutes(createIllustrator()) });
});
afterAll(() => svc.close());

const api = () => supertest(svc.app);

async function storyboarded() {
  const created = await api().post('/v1/projects').set(alice).send({ title: 'Fox', story: STORY }).expect(201);
  const res = await api().post(`/v1/projects/${created.body.id}/storyboard`).set(alice).send({}).expect(200);
  return res.body as { id: string; version: number; scenes: { id: string; imagePath: string | null }[] };
}

const media = (key: string) => `gs://${svc.ctx.buckets.media}/${key}`;

describe('PUT /v1/projects/:id/scenes/:sceneId/image', () => {
  it("makes one of the project's uploads the scene's image, with a link the browser can load", async () => {
    const project = await storyboarded();
    const scene = project.scenes[1]!;
    const path = media(`users/alice/projects/${project.id}/uploads/${'a'.repeat(64)}.png`);
    const png = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#ff7a59' } })
      .png()
      .toBuffer();
    await svc.ctx.blobs.put(path, png, { contentType: 'image/png' });

    const res = await api().put(`/v1/projects/${project.id}/scenes/${scene.id}/image`).set(alice).send({ path });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(project.version + 1);
    expect(res.body.scene).toMatchObject({ id: scene.id, imagePath: path });
    expect(res.body.scene.imageUrl).toEqual(expect.any(String));
    const stored = await svc.ctx.docs.get<ProjectData>(PROJECTS, project.id);
    expect(stored?.data.scenes.find((s) => s.id === scene.id)?.imagePath).toBe(path);
    // The other scenes are untouched.
    expect(stored?.data.scenes.filter((s) => s.imagePath === path)).toHaveLength(1);
  });

  it("refuses another user's file, files outside the project's uploads, missing files and other buckets", async () => {
    const project = await storyboarded();
    const scene = project.scenes[0]!;
    const put = (path: string, headers = alice) =>
      api().put(`/v1/projects/${project.id}/scenes/${scene.id}/image`).set(headers).send({ path });
    const bobs = media(`users/bob/projects/${project.id}/uploads/${'b'.repeat(64)}.png`);
    await svc.ctx.blobs.put(bobs, Buffer.from('x'));
    expect((await put(bobs)).status).toBe(404);
    const drawn = media(`users/alice/projects/${project.id}/images/${'c'.repeat(32)}.jpg`);
    await svc.ctx.blobs.put(drawn, Buffer.from('x'));
    expect((await put(drawn)).status).toBe(404);
    expect((await put(media(`users/alice/projects/${project.id}/uploads/missing.png`))).status).toBe(404);
    const other = await put('gs://somebody-elses-bucket/users/alice/x.png');
    expect(other.status).toBe(400);
    expect(other.body.error.code).toBe('invalid_argument');
    expect((await put(media(`users/alice/projects/${project.id}/uploads/../images/x.jpg`))).status).toBe(400);
    // Bob cannot touch Alice's project at all.
    expect((await put(bobs, bob)).status).toBe(404);
    const unknownScene = await api()
      .put(`/v1/projects/${project.id}/scenes/nosuchscene/image`)
      .set(alice)
      .send({ path: bobs });
    expect(unknownScene.status).toBe(404);
  });
});

describe('GET /v1/jobs/:id/media', () => {
  const result = (prefix: string) => ({
    videoPath: media(`${prefix}/movie.mp4`),
    posterPath: media(`${prefix}/poster.jpg`),
    gifPath: null,
    captions: { srt: media(`${prefix}/c.srt`), vtt: media(`${prefix}/c.vtt`), ass: media(`${prefix}/c.ass`) },
    durationSeconds: 9.5,
    width: 1280,
    height: 720,
  });

  it('gives the owner signed links to the movie, poster and captions; others get 404', async () => {
    await svc.ctx.docs.set(JOBS, 'job-made', { owner: 'alice', status: 'succeeded', result: result('users/alice/m') });
    const res = await api().get('/v1/jobs/job-made/media').set(alice).expect(200);
    expect(res.body).toMatchObject({
      videoUrl: expect.stringContaining('movie.mp4'),
      posterUrl: expect.stringContaining('poster.jpg'),
      gifUrl: null,
      captions: { vttUrl: expect.stringContaining('c.vtt'), srtUrl: expect.stringContaining('c.srt') },
    });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
    const stranger = await api().get('/v1/jobs/job-made/media').set(bob);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe('not_found');
    await api().get('/v1/jobs/job-made/media').expect(401);
  });

  it('answers 404 while the movie is not made yet', async () => {
    await svc.ctx.docs.set(JOBS, 'job-running', { owner: 'alice', status: 'running', result: null });
    const res = await api().get('/v1/jobs/job-running/media').set(alice);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/not made yet/);
  });
});

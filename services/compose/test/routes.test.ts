import { createTestService, type TestService, userHeaders } from '@storyreel/shared/testing';
import sharp from 'sharp';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIllustrator } from '../src/adapters/illustrator.js';
import { PROJECTS, type ProjectData } from '../src/projectModel.js';
import { composeRoutes } from '../src/routes.js';

let svc: TestService;
const alice = userHeaders('alice');
const bob = userHeaders('bob');

const STORY = `The lighthouse keeper climbed the stairs at dusk. The lamp flickered over the dark sea.

A small boat fought the storm. The keeper ran to the shore with a lantern.`;

beforeAll(async () => {
  svc = await createTestService({ name: 'compose', routes: composeRoutes(createIllustrator()) });
});
afterAll(() => svc.close());

const api = () => supertest(svc.app);

async function create(headers = alice, body: Record<string, unknown> = {}) {
  const res = await api()
    .post('/v1/projects')
    .set(headers)
    .send({ title: 'The Keeper', story: STORY, targetSeconds: 30, ...body });
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number; [k: string]: unknown };
}

async function storyboarded(headers = alice) {
  const project = await create(headers);
  const res = await api().post(`/v1/projects/${project.id}/storyboard`).set(headers).send({}).expect(200);
  return res.body as {
    id: string;
    version: number;
    scenes: { id: string; text: string; imagePrompt: string; imagePath: string | null; seed: number }[];
  };
}

const fields = (res: supertest.Response) => (res.body.error.details.fields as { field: string }[]).map((f) => f.field);

describe('POST /v1/projects', () => {
  it('creates a project owned by the caller, with defaults, and no scenes yet', async () => {
    const res = await api()
      .post('/v1/projects')
      .set(alice)
      .send({ title: 'The Keeper', story: STORY, targetSeconds: 45, aspect: '9:16', style: 'noir' })
      .expect(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      title: 'The Keeper',
      story: STORY,
      targetSeconds: 45,
      aspect: '9:16',
      style: 'noir',
      language: 'en',
      scenes: [],
      version: 1,
      voice: { id: 'en-us-1', speed: 1 },
      captions: { style: 'karaoke', position: 'bottom' },
    });
    expect(res.body.owner).toBeUndefined();
    const stored = await svc.ctx.docs.get<ProjectData>(PROJECTS, res.body.id);
    expect(stored?.data.owner).toBe('alice');
  });

  it('keeps an HTML title as exact text', async () => {
    const title = `<img src=x onerror="alert('x')"> & <b>"Tom's"</b>`;
    const project = await create(alice, { title });
    expect(project.title).toBe(title);
    const res = await api().get(`/v1/projects/${project.id}`).set(alice).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.title).toBe(title);
  });

  it('detects the language of the story, or takes the one given', async () => {
    expect(
      (await create(alice, { story: 'Старый смотритель жил у моря. Каждую ночь он зажигал маяк.' })).language,
    ).toBe('ru');
    const given = await create(alice, { story: 'Hola. El mar estaba tranquilo.', language: 'es-mx' });
    expect(given).toMatchObject({ language: 'es-MX', voice: { id: 'es-419-1' } });
  });

  it('lists every bad field (422)', async () => {
    const res = await api()
      .post('/v1/projects')
      .set(alice)
      .send({
        title: '   ',
        story: ' \n ',
        targetSeconds: 5,
        aspect: '4:3',
        style: 'crayon',
        language: 'not a tag!',
        extra: 1,
      })
      .expect(422);
    expect(res.body.error.code).toBe('invalid_argument');
    expect(fields(res)).toEqual(
      expect.arrayContaining(['title', 'story', 'targetSeconds', 'aspect', 'style', 'language']),
    );
    const long = await api()
      .post('/v1/projects')
      .set(alice)
      .send({ title: 'x'.repeat(201), story: STORY })
      .expect(422);
    expect(fields(long)).toContain('title');
  });

  it('needs a signed-in user (401)', async () => {
    const res = await api().post('/v1/projects').send({ title: 'x', story: STORY }).expect(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });
});

describe('reading projects', () => {
  it("answers 404 for another user's project and for unknown or malformed ids", async () => {
    const project = await create(alice);
    for (const [path, who] of [
      [`/v1/projects/${project.id}`, bob],
      ['/v1/projects/doesNotExist123', alice],
      ['/v1/projects/..%2F..%2Fetc', alice],
    ] as const) {
      const res = await api().get(path).set(who).expect(404);
      expect(res.body.error.code).toBe('not_found');
      expect(JSON.stringify(res.body)).not.toContain('Keeper');
    }
  });

  it('lists only my projects, newest first', async () => {
    const first = await create(userHeaders('carol'), { title: 'first' });
    const second = await create(userHeaders('carol'), { title: 'second' });
    await create(userHeaders('dave'), { title: 'not carol' });
    const res = await api().get('/v1/projects').set(userHeaders('carol')).expect(200);
    expect(res.body.projects.map((p: { id: string }) => p.id)).toEqual([second.id, first.id]);
    expect(res.body.projects[0]).toMatchObject({ title: 'second', sceneCount: 0, imagesReady: 0, coverUrl: null });
    const limited = await api().get('/v1/projects?limit=1').set(userHeaders('carol')).expect(200);
    expect(limited.body.projects).toHaveLength(1);
  });
});

describe('PATCH /v1/projects/:id', () => {
  it('applies a change made on the current version and bumps the version', async () => {
    const project = await create(alice);
    const res = await api()
      .patch(`/v1/projects/${project.id}`)
      .set(alice)
      .send({
        version: 1,
        title: 'New title',
        voice: { speed: 1.25 },
        music: { mood: 'dark' },
        captions: { position: 'top' },
      })
      .expect(200);
    expect(res.body).toMatchObject({
      version: 2,
      title: 'New title',
      voice: { id: 'en-us-1', speed: 1.25 },
      music: { mood: 'dark' },
      captions: { style: 'karaoke', position: 'top' },
    });
    const off = await api()
      .patch(`/v1/projects/${project.id}`)
      .set(alice)
      .set('if-match', '"2"')
      .send({ music: null })
      .expect(200);
    expect(off.body).toMatchObject({ version: 3, music: null });
  });

  it('refuses a stale version with 409 and keeps the newer data', async () => {
    const project = await create(alice);
    await api()
      .patch(`/v1/projects/${project.id}`)
      .set(alice)
      .send({ version: 1, title: 'Edited in tab A' })
      .expect(200);
    const stale = await api()
      .patch(`/v1/projects/${project.id}`)
      .set(alice)
      .send({ version: 1, title: 'Edited in tab B' })
      .expect(409);
    expect(stale.body.error.code).toBe('conflict');
    expect(stale.body.error.details.currentVersion).toBe(2);
    const now = await api().get(`/v1/projects/${project.id}`).set(alice).expect(200);
    expect(now.body.title).toBe('Edited in tab A');
    await api()
      .patch(`/v1/projects/${project.id}`)
      .set(alice)
      .set('if-match', 'W/"1"')
      .send({ title: 'x' })
      .expect(409);
  });

  it('needs a version, valid fields, and the owner', async () => {
    const project = await create(alice);
    const missing = await api().patch(`/v1/projects/${project.id}`).set(alice).send({ title: 'x' }).expect(422);
    expect(fields(missing)).toEqual(['version']);
    const bad = await api()
      .patch(`/v1/projects/${project.id}`)
      .set(alice)
      .send({ version: 1, voice: { speed: 9 }, music: { mood: 'banana' }, scenes: [] })
      .expect(422);
    expect(fields(bad)).toEqual(expect.arrayContaining(['voice.speed', 'music.mood']));
    await api().patch(`/v1/projects/${project.id}`).set(bob).send({ version: 1, title: 'mine now' }).expect(404);
  });
});

describe('storyboard and scenes', () => {
  it('splits the story into scenes that keep every word', async () => {
    const project = await storyboarded();
    expect(project.scenes.length).toBeGreaterThanOrEqual(2);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(words(project.scenes.map((s) => s.text).join(' '))).toEqual(words(STORY));
    expect(project.version).toBe(2);
    await api().post(`/v1/projects/${project.id}/storyboard`).set(bob).send({}).expect(404);
    await api().post(`/v1/projects/${project.id}/storyboard`).set(alice).send({ version: 1 }).expect(409);
  });

  it('edits, reorders, adds and removes scenes in one call', async () => {
    const project = await storyboarded();
    const [a, b] = project.scenes as [(typeof project.scenes)[0], (typeof project.scenes)[0]];
    const res = await api()
      .patch(`/v1/projects/${project.id}/scenes`)
      .set(alice)
      .send({
        version: project.version,
        scenes: [{ ...b, text: 'Snow fell on the quiet village.' }, { text: 'A brand new scene in the forest.' }, a],
      })
      .expect(200);
    const scenes = res.body.scenes as typeof project.scenes;
    expect(scenes.map((s) => s.text)).toEqual([
      'Snow fell on the quiet village.',
      'A brand new scene in the forest.',
      a.text,
    ]);
    expect(scenes[0]?.id).toBe(b.id);
    expect(scenes[0]?.imagePrompt).toMatch(/snow|village/);
    expect(scenes[1]?.id).toMatch(/^[A-Za-z0-9_-]{4,32}$/);
    expect(scenes[2]).toMatchObject({ id: a.id, imagePrompt: a.imagePrompt, seed: a.seed });
    expect(res.body.version).toBe(project.version + 1);
  });

  it('refuses unknown or repeated scene ids (422) and stale versions (409)', async () => {
    const project = await storyboarded();
    const [a] = project.scenes as [(typeof project.scenes)[0]];
    const unknown = await api()
      .patch(`/v1/projects/${project.id}/scenes`)
      .set(alice)
      .send({ version: project.version, scenes: [{ id: 'nope1234', text: 'x' }, a, a] })
      .expect(422);
    expect(fields(unknown)).toEqual(['scenes.0.id', 'scenes.2.id']);
    await api()
      .patch(`/v1/projects/${project.id}/scenes`)
      .set(alice)
      .send({ version: project.version - 1, scenes: [a] })
      .expect(409);
    await api()
      .patch(`/v1/projects/${project.id}/scenes`)
      .set(bob)
      .send({ version: project.version, scenes: [a] })
      .expect(404);
  });
});

describe('scene images', () => {
  it('draws a JPEG into the project folder, reuses it when nothing changed, and redraws on a new seed', async () => {
    const project = await storyboarded();
    const scene = project.scenes[0] as (typeof project.scenes)[0];
    const first = await api()
      .post(`/v1/projects/${project.id}/scenes/${scene.id}/image`)
      .set(alice)
      .send({})
      .expect(200);
    expect(first.body.cached).toBe(false);
    const path = first.body.scene.imagePath as string;
    expect(path).toMatch(
      new RegExp(`^gs://storyreel-media/users/alice/projects/${project.id}/images/[0-9a-f]{32}\\.jpg$`),
    );
    expect(first.body.scene.imageUrl).toMatch(/^http/);
    const meta = await sharp(await svc.ctx.blobs.get(path)).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1920, height: 1080 });

    const again = await api().post(`/v1/projects/${project.id}/scenes/${scene.id}/image`).set(alice).expect(200);
    expect(again.body).toMatchObject({ cached: true, scene: { imagePath: path } });

    const reroll = await api()
      .post(`/v1/projects/${project.id}/scenes/${scene.id}/image`)
      .set(alice)
      .send({ reroll: true })
      .expect(200);
    expect(reroll.body.cached).toBe(false);
    expect(reroll.body.scene.imagePath).not.toBe(path);
    expect(reroll.body.scene.seed).not.toBe(scene.seed);

    const back = await api()
      .post(`/v1/projects/${project.id}/scenes/${scene.id}/image`)
      .set(alice)
      .send({ seed: scene.seed })
      .expect(200);
    expect(back.body).toMatchObject({ cached: true, scene: { imagePath: path } });

    await api().post(`/v1/projects/${project.id}/scenes/${scene.id}/image`).set(bob).send({}).expect(404);
    await api().post(`/v1/projects/${project.id}/scenes/unknownScene/image`).set(alice).send({}).expect(404);
  });

  it('draws every missing image, then nothing; a style change makes them all missing again', async () => {
    const project = await storyboarded();
    const all = await api().post(`/v1/projects/${project.id}/images`).set(alice).expect(200);
    expect(all.body).toMatchObject({ generated: project.scenes.length, cached: 0 });
    expect(all.body.project.scenes.every((s: { imagePath: string | null }) => s.imagePath?.endsWith('.jpg'))).toBe(
      true,
    );
    const none = await api().post(`/v1/projects/${project.id}/images`).set(alice).expect(200);
    expect(none.body).toMatchObject({ generated: 0, cached: 0 });

    const restyled = await api()
      .patch(`/v1/projects/${project.id}`)
      .set(alice)
      .send({ version: none.body.project.version, aspect: '1:1' })
      .expect(200);
    expect(restyled.body.scenes.every((s: { imagePath: string | null }) => s.imagePath === null)).toBe(true);
    const square = await api().post(`/v1/projects/${project.id}/images`).set(alice).expect(200);
    expect(square.body.generated).toBe(project.scenes.length);
    const first = square.body.project.scenes[0].imagePath as string;
    expect(await sharp(await svc.ctx.blobs.get(first)).metadata()).toMatchObject({ width: 1080, height: 1080 });
  });
});

describe('storyboard again', () => {
  it('keeps the id, seed and image of scenes whose text did not change', async () => {
    const project = await storyboarded();
    const drawn = await api().post(`/v1/projects/${project.id}/images`).set(alice).expect(200);
    const again = await api()
      .post(`/v1/projects/${project.id}/storyboard`)
      .set(alice)
      .send({ version: drawn.body.project.version })
      .expect(200);
    const before = drawn.body.project.scenes as { id: string; text: string; imagePath: string }[];
    const after = again.body.scenes as { id: string; text: string; imagePath: string }[];
    expect(after.map((s) => s.text)).toEqual(before.map((s) => s.text));
    expect(after.map((s) => [s.id, s.imagePath])).toEqual(before.map((s) => [s.id, s.imagePath]));
  });
});

describe('DELETE /v1/projects/:id', () => {
  it("deletes my project and its media; another user's is 404", async () => {
    const project = await storyboarded();
    const scene = project.scenes[0] as (typeof project.scenes)[0];
    const drawn = await api()
      .post(`/v1/projects/${project.id}/scenes/${scene.id}/image`)
      .set(alice)
      .send({})
      .expect(200);
    await api().delete(`/v1/projects/${project.id}`).set(bob).expect(404);
    await api().delete(`/v1/projects/${project.id}`).set(alice).expect(204);
    await api().get(`/v1/projects/${project.id}`).set(alice).expect(404);
    expect(await svc.ctx.blobs.exists(drawn.body.scene.imagePath)).toBe(false);
    await api().delete(`/v1/projects/${project.id}`).set(alice).expect(404);
  });
});

describe('GET /v1/styles', () => {
  it('lists the styles with at least five colours each, to anyone', async () => {
    const res = await api().get('/v1/styles').expect(200);
    expect(res.body.styles.map((s: { id: string }) => s.id)).toEqual([
      'storybook',
      'watercolor',
      'noir',
      'neon',
      'pastel',
      'cinematic',
    ]);
    for (const style of res.body.styles) expect(style.swatches.length).toBeGreaterThanOrEqual(5);
  });
});

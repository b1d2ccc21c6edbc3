import {
  createTestService,
  type FakeProviderServer,
  fakeKeyResolver,
  fakeProviderServer,
  fixturesBeside,
  ONE_TRY,
  type TestService,
  userHeaders,
} from '@storyreel/shared/testing';
import sharp from 'sharp';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { falImages } from '../src/adapters/falImages.js';
import { geminiImages } from '../src/adapters/geminiImages.js';
import { geminiPlanner } from '../src/adapters/geminiPlanner.js';
import { createIllustrator } from '../src/adapters/illustrator.js';
import { composeProviders } from '../src/composeProviders.js';
import { createProject, storyboardProject } from '../src/projects.js';
import { composeRoutes } from '../src/routes.js';
import { generateMissingImages, generateSceneImage } from '../src/sceneImages.js';

const fixture = fixturesBeside(import.meta.url);
const STORY = [
  'The lighthouse keeper climbed the stairs at dusk.',
  'Far out, a small boat fought the waves.',
  'She lit the great lamp and waited.',
  'By morning, the boat was safe in the harbour.',
].join(' ');

const keys = () =>
  fakeKeyResolver(
    { alice: { gemini: 'AIza-alice-own', fal: 'fal-alice-own:secret' } },
    { gemini: 'AIza-platform', fal: 'fal-platform:secret' },
  );

let svc: TestService;
let server: FakeProviderServer | undefined;
beforeAll(async () => {
  svc = await createTestService({ name: 'compose', routes: () => [] });
});
afterAll(() => svc.close());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ports = <Extra extends object>(extra: Extra) => ({
  docs: svc.ctx.docs,
  blobs: svc.ctx.blobs,
  mediaBucket: svc.ctx.buckets.media,
  ...extra,
});

async function projectOf(uid: string, aspect: '16:9' | '9:16' | '1:1' = '16:9') {
  return createProject(ports({}), uid, { title: 'Lamp', story: STORY, targetSeconds: 20, aspect, style: 'noir' });
}

describe('Gemini storyboard planner', () => {
  it("plans with THAT user's stored key, asks for JSON to a schema, and keeps Gemini's picture descriptions", async () => {
    server = await fakeProviderServer(() => ({ json: fixture('gemini-storyboard') }));
    const resolver = keys();
    const planner = geminiPlanner({ keys: resolver, baseUrl: server.url, policy: ONE_TRY });
    const project = await projectOf('alice');
    const doc = await storyboardProject(ports({ planner }), 'alice', project.id, {});

    const [req] = server.received;
    expect(req?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(req?.headers['x-goog-api-key']).toBe('AIza-alice-own');
    const body = req?.json<{
      generationConfig: { responseMimeType: string; responseSchema: { required: string[] } };
    }>();
    expect(body?.generationConfig.responseMimeType).toBe('application/json');
    expect(body?.generationConfig.responseSchema.required).toEqual(['scenes']);

    expect(doc.data.scenes.map((s) => s.text)).toEqual([
      'The lighthouse keeper climbed the stairs at dusk. Far out, a small boat fought the waves.',
      'She lit the great lamp and waited. By morning, the boat was safe in the harbour.',
    ]);
    expect(doc.data.scenes[0]?.imagePrompt).toMatch(/^an old lighthouse keeper climbing/);
    expect(doc.data.storyboard).toMatchObject({ planner: 'gemini:gemini-2.5-flash', keptUnits: 32 });
    expect(doc.data.storyboard?.note).toBeUndefined();
    expect(resolver.usage).toEqual([{ provider: 'gemini', userId: 'alice', units: 1 }]);
  });

  it('uses the platform key for a user without one', async () => {
    server = await fakeProviderServer(() => ({ json: fixture('gemini-storyboard') }));
    const planner = geminiPlanner({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const project = await projectOf('bob');
    await storyboardProject(ports({ planner }), 'bob', project.id, {});
    expect(server.received.map((r) => r.headers['x-goog-api-key'])).toEqual(['AIza-platform']);
  });

  it('asks again once when an answer drops words, and uses the second answer', async () => {
    server = await fakeProviderServer((_req, n) => ({
      json: fixture(n === 1 ? 'gemini-storyboard-missing-words' : 'gemini-storyboard'),
    }));
    const planner = geminiPlanner({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const planned = await planner.plan(STORY, { targetSeconds: 20 }, { userId: 'bob' });
    expect(server.received).toHaveLength(2);
    expect(planned.planner).toBe('gemini:gemini-2.5-flash');
    expect(planned.scenes).toHaveLength(2);
  });

  it('falls back to the offline splitter after two malformed answers, with a note on the storyboard', async () => {
    server = await fakeProviderServer((_req, n) => ({
      json: fixture(n === 1 ? 'gemini-storyboard-not-json' : 'gemini-storyboard-missing-words'),
    }));
    const planner = geminiPlanner({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const project = await projectOf('bob');
    const doc = await storyboardProject(ports({ planner }), 'bob', project.id, {});
    expect(server.received).toHaveLength(2);
    expect(doc.data.storyboard?.planner).toBe('offline');
    expect(doc.data.storyboard?.note).toMatch(/malformed twice \(the scenes do not hold the story word for word\)/);
    expect(doc.data.scenes.map((s) => s.text).join(' ')).toBe(STORY);
  });

  it("answers 401 naming Gemini when the user's key is refused (Gemini says so with a 400)", async () => {
    server = await fakeProviderServer(() => ({ status: 400, json: fixture('gemini-api-key-invalid') }));
    const planner = geminiPlanner({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const err = await planner.plan(STORY, { targetSeconds: 20 }, { userId: 'alice' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unauthenticated', status: 401, details: { provider: 'gemini' } });
    expect(JSON.stringify(err)).not.toContain('AIza-alice-own');
  });

  it("answers 429 with Gemini's retryDelay as Retry-After", async () => {
    server = await fakeProviderServer(() => ({ status: 429, json: fixture('gemini-quota-exhausted') }));
    const planner = geminiPlanner({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const err = await planner.plan(STORY, { targetSeconds: 20 }, { userId: 'bob' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: 12 });
  });
});

describe('Gemini images', () => {
  it("draws with the user's key at the frame's aspect ratio and stores a JPEG of the frame's size", async () => {
    server = await fakeProviderServer(() => ({ json: fixture('gemini-image') }));
    const images = geminiImages({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const project = await projectOf('alice', '9:16');
    const boarded = await storyboardProject(ports({}), 'alice', project.id, {});
    const scene = boarded.data.scenes[0]!;
    const result = await generateSceneImage(ports({ images }), 'alice', project.id, scene.id, {});

    const [req] = server.received;
    expect(req?.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    expect(req?.headers['x-goog-api-key']).toBe('AIza-alice-own');
    const body = req?.json<{
      contents: { parts: { text: string }[] }[];
      generationConfig: { responseModalities: string[]; imageConfig: { aspectRatio: string }; seed: number };
    }>();
    expect(body?.generationConfig).toMatchObject({
      responseModalities: ['IMAGE'],
      imageConfig: { aspectRatio: '9:16' },
      seed: scene.seed,
    });
    expect(body?.contents[0]?.parts[0]?.text).toMatch(/film noir/);

    const stored = await sharp(await svc.ctx.blobs.get(result.scene.imagePath as string)).metadata();
    expect(stored).toMatchObject({ format: 'jpeg', width: 1080, height: 1920 });
  });
});

describe("the movie job's images step", () => {
  it("draws every missing scene with THAT user's key, and another user's with the platform key", async () => {
    server = await fakeProviderServer(() => ({ json: fixture('gemini-image') }));
    const images = geminiImages({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    for (const uid of ['alice', 'bob']) {
      const project = await projectOf(uid);
      await storyboardProject(ports({}), uid, project.id, {});
      const drawn = await generateMissingImages(ports({ images }), uid, project.id);
      expect(drawn.generated).toBeGreaterThan(0);
    }
    const used = server.received.map((r) => r.headers['x-goog-api-key']);
    const alice = used.filter((k) => k === 'AIza-alice-own').length;
    expect(alice).toBeGreaterThan(0);
    expect(used).toEqual([...Array(alice).fill('AIza-alice-own'), ...Array(used.length - alice).fill('AIza-platform')]);
    expect(used.length).toBeGreaterThan(alice);
  });
});

describe('fal images', () => {
  const picture = () =>
    sharp({ create: { width: 96, height: 54, channels: 3, background: '#aa6633' } })
      .jpeg()
      .toBuffer();

  async function falServer(imageUrl?: (base: string) => string) {
    const jpeg = await picture();
    let base = '';
    const s = await fakeProviderServer((req) => {
      if (req.method === 'GET' && req.path === '/files/scene.jpg')
        return { body: jpeg, headers: { 'content-type': 'image/jpeg' } };
      const answer = JSON.stringify(fixture('fal-flux-schnell')).replace(
        '{{IMAGE_URL}}',
        imageUrl ? imageUrl(base) : `${base}/files/scene.jpg`,
      );
      return { json: JSON.parse(answer) };
    });
    base = s.url;
    return s;
  }

  const pullFrom = (s: FakeProviderServer) => ({
    testOnlyLoopbackExceptions: [{ address: '127.0.0.1', port: s.port }],
  });

  it("runs the model with THAT user's key, pulls the picture through the SSRF guard into the media bucket", async () => {
    server = await falServer();
    const resolver = keys();
    const images = falImages({ keys: resolver, baseUrl: server.url, policy: ONE_TRY, pull: pullFrom(server) });
    const project = await projectOf('alice');
    const boarded = await storyboardProject(ports({}), 'alice', project.id, {});
    const scene = boarded.data.scenes[0]!;
    const result = await generateSceneImage(ports({ images }), 'alice', project.id, scene.id, {});

    const [run, pull] = server.received;
    expect(run?.method).toBe('POST');
    expect(run?.path).toBe('/fal-ai/flux/schnell');
    expect(run?.headers.authorization).toBe('Key fal-alice-own:secret');
    expect(run?.json()).toMatchObject({ image_size: { width: 1920, height: 1080 }, seed: scene.seed, num_images: 1 });
    expect(pull).toMatchObject({ method: 'GET', path: '/files/scene.jpg' });
    expect(pull?.headers.authorization).toBeUndefined();

    const path = result.scene.imagePath as string;
    expect(path.startsWith(`gs://${svc.ctx.buckets.media}/users/alice/projects/`)).toBe(true);
    const stored = await sharp(await svc.ctx.blobs.get(path)).metadata();
    expect(stored).toMatchObject({ format: 'jpeg', width: 1920, height: 1080 });
    expect(resolver.usage).toEqual([{ provider: 'fal', userId: 'alice', units: 1 }]);
  });

  it('uses the platform key for a user without one', async () => {
    server = await falServer();
    const images = falImages({ keys: keys(), baseUrl: server.url, policy: ONE_TRY, pull: pullFrom(server) });
    await images.generate('a boat', { style: 'noir', width: 1080, height: 1080, seed: 7 }, { userId: 'bob' });
    expect(server.received[0]?.headers.authorization).toBe('Key fal-platform:secret');
  });

  it('refuses a picture URL that points into our network (cloud metadata), without fetching it', async () => {
    server = await falServer(() => 'http://169.254.169.254/computeMetadata/v1/');
    const images = falImages({ keys: keys(), baseUrl: server.url, policy: ONE_TRY, pull: pullFrom(server) });
    const err = await images
      .generate('a boat', { style: 'noir', width: 1080, height: 1080, seed: 7 }, { userId: 'bob' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', details: { provider: 'fal', reason: 'remote_image_refused' } });
    expect(server.received).toHaveLength(1);
  });

  it("answers 401 naming fal when the user's key is refused", async () => {
    server = await fakeProviderServer(() => ({ status: 401, json: fixture('fal-unauthorized') }));
    const images = falImages({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const err = await images
      .generate('a boat', { style: 'noir', width: 1080, height: 1080, seed: 7 }, { userId: 'alice' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unauthenticated', status: 401, details: { provider: 'fal' } });
    expect((err as Error).message).toMatch(/^fal rejected your API key/);
  });
});

describe('composeProviders', () => {
  it('picks the offline illustrator and splitter by default, Gemini or fal with PROVIDERS=cloud', async () => {
    const picked: string[][] = [];
    const envs: Record<string, string>[] = [
      {},
      { PROVIDERS: 'cloud' },
      { PROVIDERS: 'cloud', CLOUD_IMAGE_PROVIDER: 'fal' },
    ];
    for (const env of envs) {
      const service = await createTestService({ name: 'compose', envOverrides: env, routes: () => [] });
      const chosen = composeProviders(service.ctx);
      picked.push([chosen.images.id, chosen.planner.id]);
      await service.close();
    }
    expect(picked).toEqual([
      ['offline-illustrator', 'offline'],
      ['gemini:gemini-2.5-flash-image', 'gemini:gemini-2.5-flash'],
      ['fal:fal-ai/flux/schnell', 'gemini:gemini-2.5-flash'],
    ]);
  });
});

describe('POST /v1/projects/:id/storyboard with the Gemini planner', () => {
  it("plans with THAT user's key, and answers with the planner and the note when it fell back", async () => {
    server = await fakeProviderServer((req) => ({
      json: fixture(
        req.headers['x-goog-api-key'] === 'AIza-alice-own' ? 'gemini-storyboard' : 'gemini-storyboard-not-json',
      ),
    }));
    const planner = geminiPlanner({ keys: keys(), baseUrl: server.url, policy: ONE_TRY });
    const service = await createTestService({ name: 'compose', routes: composeRoutes(createIllustrator(), planner) });
    try {
      const boards: Record<string, { planner: string; note?: string }> = {};
      for (const uid of ['alice', 'bob']) {
        const created = await supertest(service.app)
          .post('/v1/projects')
          .set(userHeaders(uid))
          .send({ title: 'Lamp', story: STORY, targetSeconds: 20 })
          .expect(201);
        const res = await supertest(service.app)
          .post(`/v1/projects/${created.body.id}/storyboard`)
          .set(userHeaders(uid))
          .send({})
          .expect(200);
        boards[uid] = res.body.storyboard;
      }
      expect(server.received.map((r) => r.headers['x-goog-api-key'])).toEqual([
        'AIza-alice-own',
        'AIza-platform',
        'AIza-platform',
      ]);
      expect(boards.alice).toMatchObject({ planner: 'gemini:gemini-2.5-flash' });
      expect(boards.alice?.note).toBeUndefined();
      expect(boards.bob).toMatchObject({ planner: 'offline', note: expect.stringMatching(/malformed twice/) });
    } finally {
      await service.close();
    }
  });
});

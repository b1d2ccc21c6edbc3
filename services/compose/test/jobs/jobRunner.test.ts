import { setTimeout as sleep } from 'node:timers/promises';
import { type DocStore, quotaStatus, unprocessable } from '@storyreel/shared';
import { createTestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { type JobDeps, startJobWorker } from '../../src/jobs/index.js';
import type { Job } from '../../src/jobs/job.js';
import { claimJob } from '../../src/jobs/jobLease.js';
import { jobStoreFor } from '../../src/jobs/jobStore.js';
import type { CallOptions } from '../../src/jobs/meshCalls.js';
import {
  alwaysUnavailable,
  composeService,
  eventually,
  FAST,
  fakeMesh,
  hangUntilAborted,
  jobOf,
  jobReaches,
  MEDIA,
  seedProject,
  silentLogger,
} from './jobFixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup(settings = FAST) {
  const fake = fakeMesh();
  const deps = fake.deps(settings);
  const svc = await composeService(deps);
  cleanups.push(() => svc.close());
  return { fake, deps, svc, docs: svc.ctx.docs };
}

async function requestRender(app: Parameters<typeof supertest>[0], projectId: string, body: object = {}): Promise<Job> {
  const res = await supertest(app).post(`/v1/projects/${projectId}/render`).set(userHeaders('alice')).send(body);
  expect(res.status).toBe(202);
  return res.body.job;
}

function worker(ctx: Parameters<typeof startJobWorker>[0], deps: JobDeps) {
  const w = startJobWorker(ctx, deps);
  cleanups.push(() => w.stop());
  return w;
}

/** A DocStore that, once frozen, never answers again: the process holding it died. */
function freezable(docs: DocStore) {
  let frozen = false;
  const never = new Promise<never>(() => {});
  const proxy = new Proxy(docs, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (frozen ? never : (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
  return { docs: proxy, freeze: () => (frozen = true) };
}

const keyOf = (call: { options: CallOptions }) => call.options.idempotencyKey;
const nonDecreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x >= (xs[i - 1] as number));

describe('movie job runner', () => {
  it('runs the steps in order, with progress rising from 0 to 100, and leaves the movie behind', async () => {
    const { fake, deps, svc, docs } = await setup();
    await seedProject(docs, 'p1');
    const queued = await requestRender(svc.app, 'p1');
    expect(queued).toMatchObject({ status: 'queued', stage: 'queued', progress: 0 });
    const seen: { progress: number; stage: string }[] = [];
    cleanups.push(async () => unsubscribe());
    const unsubscribe = jobStoreFor(docs).onChange(queued.id, (doc) => seen.push(doc.data));
    worker(svc.ctx, deps);

    const job = await jobReaches(docs, queued.id, 'succeeded', 'failed');
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    // 4 scenes, narrated in one batch; the two that came without word timings are aligned.
    expect(fake.names()).toEqual(['images', 'narrate', 'align', 'align', 'captions', 'music', 'render']);
    const progress = seen.map((s) => s.progress);
    expect(nonDecreasing(progress)).toBe(true);
    expect(progress.at(-1)).toBe(100);
    expect(new Set(progress).size).toBeGreaterThan(5);
    const stages = seen.map((s) => s.stage).filter((s, i, all) => s !== all[i - 1]);
    expect(stages).toEqual(['queued', 'images', 'narrate', 'align', 'captions', 'music', 'render', 'done']);
    expect(job.steps.polish.status).toBe('skipped');
    expect(job.logs.map((l) => l.message)).toContain('polish skipped: polish was not asked for');

    const prefix = `gs://${MEDIA}/users/alice/projects/p1/renders/${job.id}`;
    expect(job.result).toEqual({
      videoPath: `${prefix}/movie.mp4`,
      posterPath: `${prefix}/poster.jpg`,
      gifPath: null,
      captions: expect.objectContaining({ ass: expect.stringMatching(/c\.ass$/) }),
      durationSeconds: 9.5,
      width: 1280,
      height: 720,
    });
    expect((await docs.get('renders', job.id))?.data).toMatchObject({ owner: 'alice', projectId: 'p1', jobId: job.id });
    expect((await quotaStatus(docs, { kind: 'user', uid: 'alice', plan: 'free' })).used).toBe(1);
    const day = new Date().toISOString().slice(0, 10);
    expect((await docs.get('sli_rollups', `render_${day}`))?.data).toMatchObject({ total: 1, ok: 1 });

    // Every call carries the job's user and a key derived from its input.
    for (const call of fake.calls.filter((c) => c.name !== 'images')) {
      expect(keyOf(call)).toMatch(new RegExp(`^${job.id}:${call.name}:[0-9a-f]{24}$`));
      expect(call.options.user).toEqual({ uid: 'alice', plan: 'free' });
    }
    expect(new Set(fake.calls.filter((c) => c.name !== 'images').map(keyOf)).size).toBe(6);
  });

  it('places scenes on the render timeline: narration plus a breath, transitions added between', async () => {
    const { fake, deps, svc, docs } = await setup();
    await seedProject(docs, 'p1');
    const { id } = await requestRender(svc.app, 'p1', { gif: true, resolution: '1080p', quality: 'high' });
    worker(svc.ctx, deps);
    await jobReaches(docs, id, 'succeeded');
    const body = (name: string): unknown => fake.calls.find((c) => c.name === name)?.body;

    // 1.5 s of speech + 0.4 s; fade (0.8 s) after scenes 1 and 3, cut after 2.
    const captions = body('captions') as {
      scenes: { offsetSeconds: number; durationSeconds: number }[];
      width: number;
      height: number;
    };
    expect(captions.scenes.map((s) => s.offsetSeconds)).toEqual([0, 2.7, 4.6, 7.3]);
    expect(captions.scenes.every((s) => s.durationSeconds === 1.9)).toBe(true);
    expect([captions.width, captions.height]).toEqual([1920, 1080]);
    // 9.2 s of movie, asked in whole seconds: the render trims it.
    expect(body('music')).toMatchObject({ mood: 'calm', durationSeconds: 10, format: 'wav' });
    expect(body('render')).toMatchObject({
      version: 1,
      aspect: '16:9',
      resolution: '1080p',
      quality: 'high',
      narration: {
        kind: 'per-scene',
        paths: [0, 1, 2, 3].map((i) => `gs://${MEDIA}/users/alice/projects/narration/p1-s${i}.wav`),
      },
      captions: { assPath: expect.stringMatching(/c\.ass$/), timeline: 'movie' },
      music: { path: expect.stringMatching(/m\.wav$/), volume: 0.3 },
      outputs: { poster: true, gif: true },
      outputPrefix: `gs://${MEDIA}/users/alice/projects/p1/renders/${id}`,
    });
    const scenes = (body('render') as { scenes: { imagePath: string; durationSeconds: number; transition: unknown }[] })
      .scenes;
    expect(scenes.map((s) => s.durationSeconds)).toEqual([1.9, 1.9, 1.9, 1.9]);
    expect(scenes[0]).toMatchObject({
      imagePath: `gs://${MEDIA}/users/alice/projects/images/p1-s0.png`,
      transition: { type: 'fade' },
    });
  });

  it("reports the render's own progress while it runs", async () => {
    const { fake, deps, svc, docs } = await setup();
    const render = fake.handlers.render;
    fake.handlers.render = async (body, options) => {
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      return render(body, options);
    };
    fake.handlers.renderProgress = async () => ({ percent: 50 });
    await seedProject(docs, 'p1');
    const { id } = await requestRender(svc.app, 'p1');
    const seen: { progress: number; stage: string }[] = [];
    const unsubscribe = jobStoreFor(docs).onChange(id, (doc) => seen.push(doc.data));
    cleanups.push(async () => unsubscribe());
    worker(svc.ctx, deps);
    await jobReaches(docs, id, 'succeeded');
    const polls = fake.calls.filter((c) => c.name === 'renderProgress');
    expect(polls.length).toBeGreaterThan(0);
    expect(polls[0]?.body).toBe(id);
    // Steps before render weigh 60 of 110: half the render's 35 more is 70 %.
    const during = seen.filter((s) => s.stage === 'render').map((s) => s.progress);
    expect(during).toContain(70);
  });

  it("polishes the rendered movie when asked, as a stage of its own with the polish service's progress", async () => {
    const { fake, deps, svc, docs } = await setup();
    const polish = fake.handlers.polish;
    fake.handlers.polish = async (body, options) => {
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      return polish(body, options);
    };
    fake.handlers.polishProgress = async () => ({ percent: 50 });
    await seedProject(docs, 'p1');
    const { id } = await requestRender(svc.app, 'p1', { polish: { upscale: '1080p', interpolate: true } });
    const seen: { progress: number; stage: string }[] = [];
    const unsubscribe = jobStoreFor(docs).onChange(id, (doc) => seen.push(doc.data));
    cleanups.push(async () => unsubscribe());
    worker(svc.ctx, deps);
    const job = await jobReaches(docs, id, 'succeeded', 'failed');

    expect(
      fake
        .names()
        .filter((n) => !n.endsWith('Progress'))
        .slice(-2),
    ).toEqual(['render', 'polish']);
    // Smooth motion is rendered at 60 fps, not interpolated afterwards: polish only upscales.
    expect(fake.calls.find((c) => c.name === 'render')?.body).toMatchObject({ fps: 60 });
    const rendered = `gs://${MEDIA}/users/alice/projects/p1/renders/${id}/movie.mp4`;
    const call = fake.calls.find((c) => c.name === 'polish');
    expect(call?.body).toEqual({ videoPath: rendered, upscale: '1080p' });
    expect(keyOf(call as never)).toMatch(new RegExp(`^${id}:polish:[0-9a-f]{24}$`));
    expect(fake.calls.filter((c) => c.name === 'polishProgress').map((c) => c.body)).toContain(id);

    const stages = seen.map((s) => s.stage).filter((s, i, all) => s !== all[i - 1]);
    expect(stages.slice(-3)).toEqual(['render', 'polish', 'done']);
    // Steps before polish weigh 95 of 110: half the polish's 15 more is 93 %.
    expect(seen.filter((s) => s.stage === 'polish').map((s) => s.progress)).toContain(93);
    expect(job.steps.polish.status).toBe('done');
    expect(job.result).toMatchObject({
      videoPath: `gs://${MEDIA}/users/alice/projects/p1/renders/${id}/polished/k1/movie.mp4`,
      posterPath: `gs://${MEDIA}/users/alice/projects/p1/renders/${id}/poster.jpg`,
      width: 1920,
      height: 1080,
    });
    expect(job.logs.map((l) => l.message)).toContain('polished: upscaled to 1920x1080');
  });

  it('renders at 60 fps instead of calling polish when smooth motion is all that was asked', async () => {
    const { fake, deps, svc, docs } = await setup();
    await seedProject(docs, 'p1');
    const { id } = await requestRender(svc.app, 'p1', { polish: { interpolate: true } });
    worker(svc.ctx, deps);
    const job = await jobReaches(docs, id, 'succeeded', 'failed');
    expect(fake.calls.find((c) => c.name === 'render')?.body).toMatchObject({ fps: 60 });
    expect(fake.count('polish')).toBe(0);
    expect(job.steps.polish.status).toBe('skipped');
    expect(job.logs.map((l) => l.message)).toContain(
      'polish skipped: the movie was rendered at 60 fps; nothing else to polish',
    );
    expect(job.result?.videoPath).toBe(`gs://${MEDIA}/users/alice/projects/p1/renders/${id}/movie.mp4`);
  });

  it('tries a failing step 3 times with growing waits, then fails the job naming the step', async () => {
    const { fake, deps, svc, docs } = await setup();
    fake.handlers.music = alwaysUnavailable;
    await seedProject(docs, 'p1');
    const { id } = await requestRender(svc.app, 'p1');
    worker(svc.ctx, deps);

    const job = await jobReaches(docs, id, 'failed', 'succeeded');
    expect(job.error).toBe('step "music" failed after 3 tries: music is unavailable');
    expect(job.stage).toBe('music');
    expect(job.steps.music).toMatchObject({ status: 'failed', attempts: 3, error: 'music is unavailable' });
    expect(job.steps.render.status).toBe('pending');
    const music = fake.calls.filter((c) => c.name === 'music');
    expect(music).toHaveLength(3);
    expect(new Set(music.map(keyOf)).size).toBe(1);
    const [a, b, c] = music.map((m) => m.at) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(FAST.retryBaseMs! - 5);
    expect(c - b).toBeGreaterThanOrEqual(2 * FAST.retryBaseMs! - 5);
    expect(fake.count('render')).toBe(0);
    expect(job.logs.map((l) => l.message)).toContain(
      'music failed (try 1 of 3): music is unavailable; trying again in 1 s',
    );
    expect(job.lease).toBeNull();
    // A failed render costs nothing, but counts against the success rate.
    expect((await quotaStatus(docs, { kind: 'user', uid: 'alice', plan: 'free' })).used).toBe(0);
    const day = new Date().toISOString().slice(0, 10);
    expect((await docs.get('sli_rollups', `render_${day}`))?.data).toMatchObject({ total: 1, ok: 0 });
  });

  it('fails at once on a refusal that would repeat (a 4xx from the service)', async () => {
    const { fake, deps, svc, docs } = await setup();
    fake.handlers.render = async () => {
      throw unprocessable('scenes.2.imagePath: not a gs:// path');
    };
    await seedProject(docs, 'p1');
    const { id } = await requestRender(svc.app, 'p1');
    worker(svc.ctx, deps);
    const job = await jobReaches(docs, id, 'failed');
    expect(job.error).toBe('step "render" failed: scenes.2.imagePath: not a gs:// path');
    expect(fake.count('render')).toBe(1);
  });

  it('stops on cancel: the running step is aborted and the worker moves on', async () => {
    const { fake, deps, svc, docs } = await setup();
    fake.handlers.render = hangUntilAborted;
    await seedProject(docs, 'p1');
    await seedProject(docs, 'p2');
    const { id } = await requestRender(svc.app, 'p1');
    worker(svc.ctx, deps);
    await eventually(() => expect(fake.count('render')).toBe(1));

    const res = await supertest(svc.app).post(`/v1/jobs/${id}/cancel`).set(userHeaders('alice'));
    expect(res.status).toBe(200);
    expect(res.body.job).toMatchObject({ status: 'cancelled', stage: 'render' });
    const renderCall = fake.calls.find((c) => c.name === 'render');
    await eventually(() => expect(renderCall?.options.signal.aborted).toBe(true));

    fake.handlers.render = fakeMesh().handlers.render;
    const next = await requestRender(svc.app, 'p2');
    await jobReaches(docs, next.id, 'succeeded');
    const job = await jobOf(docs, id);
    expect(job).toMatchObject({ status: 'cancelled', lease: null });
    expect(job.steps.render.status).toBe('pending');
    expect(job.steps.polish.status).toBe('pending');
    expect(job.result).toBeNull();
    expect(fake.calls.filter((c) => c.name === 'render' && keyOf(c).startsWith(id))).toHaveLength(1);
  });

  it('retries a failed job from the failed step, without running finished steps again', async () => {
    const { fake, deps, svc, docs } = await setup();
    fake.handlers.music = alwaysUnavailable;
    await seedProject(docs, 'p1');
    const { id } = await requestRender(svc.app, 'p1');
    worker(svc.ctx, deps);
    await jobReaches(docs, id, 'failed');

    fake.handlers.music = fakeMesh().handlers.music;
    const res = await supertest(svc.app).post(`/v1/jobs/${id}/retry`).set(userHeaders('alice'));
    expect(res.status).toBe(202);
    expect(res.body.job).toMatchObject({ status: 'queued', error: null });
    const job = await jobReaches(docs, id, 'succeeded', 'failed');
    expect(job.status).toBe('succeeded');
    expect(job.steps.music).toMatchObject({ status: 'done', attempts: 1 });
    const counts = Object.fromEntries(
      ['images', 'narrate', 'align', 'captions', 'music', 'render'].map((n) => [n, fake.count(n)]),
    );
    expect(counts).toEqual({ images: 1, narrate: 1, align: 2, captions: 1, music: 4, render: 1 });
  });

  it('tries again only the scenes a failed try did not finish', async () => {
    const { fake, deps, svc, docs } = await setup();
    const { narrate, align } = fake.handlers;
    const failOnce = new Set(['narrate', 'align']);
    const flaky =
      <B extends { scenes?: { id: string }[]; audioPath?: string }>(
        name: string,
        ok: (b: B, o: CallOptions) => Promise<never>,
      ) =>
      async (body: B, options: CallOptions) => {
        const last = body.scenes?.some((s) => s.id === 'p1-s5') || body.audioPath?.endsWith('p1-s5.wav');
        if (last && failOnce.delete(name)) throw new Error(`${name} lost its connection`);
        return ok(body, options);
      };
    fake.handlers.narrate = flaky('narrate', narrate as never);
    fake.handlers.align = flaky('align', align as never);
    await seedProject(docs, 'p1', 'alice', 6);
    const { id } = await requestRender(svc.app, 'p1');
    worker(svc.ctx, deps);
    const job = await jobReaches(docs, id, 'succeeded', 'failed');
    expect(job.status).toBe('succeeded');

    // Batches of 4: the second failed once, and only it was sent again.
    const narrated = fake.calls
      .filter((c) => c.name === 'narrate')
      .map((c) => (c.body as { scenes: { id: string }[] }).scenes.map((s) => s.id));
    expect(narrated).toEqual([
      ['p1-s0', 'p1-s1', 'p1-s2', 'p1-s3'],
      ['p1-s4', 'p1-s5'],
      ['p1-s4', 'p1-s5'],
    ]);
    // Scenes 1, 3 and 5 came without word timings; the try after the failure aligned only scene 5.
    const aligned = fake.calls
      .filter((c) => c.name === 'align')
      .map((c) => (c.body as { audioPath: string }).audioPath.split('/').at(-1));
    expect(aligned).toEqual(['p1-s1.wav', 'p1-s3.wav', 'p1-s5.wav', 'p1-s5.wav']);
    expect(job.steps.narrate.attempts).toBe(2);
    const manifest = fake.calls.find((c) => c.name === 'render')?.body as { narration: { paths: string[] } };
    expect(manifest.narration.paths).toHaveLength(6);
    expect(manifest.narration.paths.every((p) => p.endsWith('.wav'))).toBe(true);
  });

  it('hands a running job back to the queue when its worker stops, and another finishes it', async () => {
    const { fake, deps, svc, docs } = await setup();
    fake.handlers.render = hangUntilAborted;
    await seedProject(docs, 'p1');
    const { id } = await requestRender(svc.app, 'p1');
    const first = startJobWorker(svc.ctx, deps);
    await eventually(() => expect(fake.count('render')).toBe(1));
    await first.stop();

    const released = await jobOf(docs, id);
    expect(released).toMatchObject({ status: 'queued', lease: null });
    expect(released.steps.render).toMatchObject({ status: 'pending', attempts: 0 });
    expect(released.steps.music.status).toBe('done');

    fake.handlers.render = fakeMesh().handlers.render;
    worker(svc.ctx, deps);
    await jobReaches(docs, id, 'succeeded');
    expect(fake.count('music')).toBe(1);
    expect(fake.count('render')).toBe(2);
  });
});

describe('leases', () => {
  it('lets exactly one of two workers claim a job, across two connections to one store', async () => {
    const { svc, docs } = await setup();
    const other = await createTestService({
      name: 'compose',
      routes: () => [],
      envOverrides: { DOC_SQLITE_PATH: `${svc.dataDir}/docs.db` },
    });
    cleanups.push(() => other.close());
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      await seedProject(docs, `race${i}`);
      ids.push((await requestRender(svc.app, `race${i}`)).id);
    }
    for (const id of ids) {
      const [a, b] = await Promise.all([
        claimJob(jobStoreFor(docs), id, 'worker-a', Date.now(), 60_000),
        claimJob(jobStoreFor(other.ctx.docs), id, 'worker-b', Date.now(), 60_000),
      ]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect((await jobOf(docs, id)).lease?.owner).toBe((a ?? b)?.data.lease?.owner);
    }
  });

  it('never runs one job twice with two workers polling the same store', async () => {
    const { fake, deps, svc, docs } = await setup();
    const other = await createTestService({
      name: 'compose',
      routes: () => [],
      envOverrides: { DOC_SQLITE_PATH: `${svc.dataDir}/docs.db` },
    });
    cleanups.push(() => other.close());
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      await seedProject(docs, `many${i}`, 'alice', 2);
      ids.push((await requestRender(svc.app, `many${i}`)).id);
    }
    worker(svc.ctx, deps);
    worker(other.ctx, deps);
    for (const id of ids) await jobReaches(docs, id, 'succeeded');
    for (const id of ids) {
      const mine = fake.calls.filter((c) => c.name !== 'images' && keyOf(c).startsWith(`${id}:`));
      expect(mine.map((c) => c.name)).toEqual(['narrate', 'align', 'captions', 'music', 'render']);
    }
    expect(fake.count('images')).toBe(6);
  });

  it('keeps the lease of a step that outlasts it, so no other worker steals the job', async () => {
    const { fake, deps, svc, docs } = await setup({ ...FAST, leaseMs: 300 });
    const other = await createTestService({
      name: 'compose',
      routes: () => [],
      envOverrides: { DOC_SQLITE_PATH: `${svc.dataDir}/docs.db` },
    });
    cleanups.push(() => other.close());
    const render = fake.handlers.render;
    fake.handlers.render = async (body, options) => {
      await sleep(1_000);
      return render(body, options);
    };
    await seedProject(docs, 'p1');
    const { id } = await requestRender(svc.app, 'p1');
    worker(svc.ctx, deps);
    await eventually(() => expect(fake.count('render')).toBe(1));
    const owner = (await jobOf(docs, id)).lease?.owner;
    worker(other.ctx, deps);
    const job = await jobReaches(docs, id, 'succeeded', 'failed');
    expect(job.status).toBe('succeeded');
    expect(fake.count('render')).toBe(1);
    expect(job.logs.filter((l) => l.message.startsWith('started by')).map((l) => l.message)).toEqual([
      `started by ${owner}`,
    ]);
    expect(job.logs.some((l) => l.message.includes('resumes'))).toBe(false);
  });

  it('hears a cancel made on another instance within a watch tick, not at the next lease renewal', async () => {
    const { fake, deps, svc, docs } = await setup({ ...FAST, leaseMs: 20_000 });
    const other = await createTestService({
      name: 'compose',
      routes: () => [],
      envOverrides: { DOC_SQLITE_PATH: `${svc.dataDir}/docs.db` },
    });
    cleanups.push(() => other.close());
    fake.handlers.render = hangUntilAborted;
    await seedProject(docs, 'p1');
    const { id } = await requestRender(svc.app, 'p1');
    // The worker runs on the other instance: no in-process signal reaches it from this one's routes.
    worker(other.ctx, deps);
    await eventually(() => expect(fake.count('render')).toBe(1));
    await supertest(svc.app).post(`/v1/jobs/${id}/cancel`).set(userHeaders('alice')).expect(200);
    const renderCall = fake.calls.find((c) => c.name === 'render');
    await eventually(() => expect(renderCall?.options.signal.aborted).toBe(true), 1_000);
    expect((await jobOf(docs, id)).status).toBe('cancelled');
  });

  it('resumes the job of a worker that died, from its last finished step', async () => {
    const clock = { skew: 0 };
    const settings = { ...FAST, leaseMs: 1_000, now: () => Date.now() + clock.skew };
    const { fake, deps, svc, docs } = await setup(settings);
    let aligns = 0;
    const align = fake.handlers.align;
    // The first worker gets stuck in its first align call, and dies there.
    fake.handlers.align = (body, options) => (aligns++ === 0 ? hangUntilAborted(body, options) : align(body, options));
    await seedProject(docs, 'p1');
    const { id } = await requestRender(svc.app, 'p1');

    const dying = freezable(docs);
    // Not stopped at the end: a dead worker never stops.
    const doomed = startJobWorker({ ...svc.ctx, docs: dying.docs, logger: silentLogger }, deps);
    await eventually(async () => {
      const job = await jobOf(docs, id);
      expect(job.steps.narrate.status).toBe('done');
      expect(fake.count('align')).toBe(1);
    });
    dying.freeze();
    const abandoned = await jobOf(docs, id);
    expect(abandoned.status).toBe('running');
    expect(abandoned.lease?.owner).toBe(doomed.id);
    // Until the lease runs out nobody else may take it.
    expect(await claimJob(jobStoreFor(docs), id, 'early', settings.now(), 1_000)).toBeNull();

    clock.skew += 1_500;
    const rescuer = worker(svc.ctx, deps);
    const job = await jobReaches(docs, id, 'succeeded', 'failed');
    expect(job.status).toBe('succeeded');
    expect(job.logs.map((l) => l.message)).toContain(
      `the previous worker stopped answering; ${rescuer.id} resumes the job`,
    );
    // images and narrate ran once; align ran again, in full, on the rescuer.
    expect(fake.names()).toEqual(['images', 'narrate', 'align', 'align', 'align', 'captions', 'music', 'render']);
    expect(job.steps.align.attempts).toBe(2);
  });
});

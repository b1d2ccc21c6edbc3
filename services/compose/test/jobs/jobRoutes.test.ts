import { setTimeout as sleep } from 'node:timers/promises';
import { chargeQuota } from '@storyreel/shared';
import { createTestService, serviceHeaders, type TestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { startJobWorker } from '../../src/jobs/index.js';
import { composeService, type FakeMesh, fakeMesh, seedProject } from './jobFixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup(): Promise<{ svc: TestService; fake: FakeMesh }> {
  const fake = fakeMesh();
  const svc = await composeService(fake.deps());
  cleanups.push(() => svc.close());
  await seedProject(svc.ctx.docs, 'p1');
  return { svc, fake };
}

const as = (uid: string) => userHeaders(uid);

interface SseEvent {
  event: string;
  id?: string;
  /** job, log and end events' fields, as far as the tests read them. */
  data: { status?: string; stage?: string; progress?: number; seq?: number; message?: string };
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.split('\n').some((line) => line.startsWith('event:')))
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      return { event: field('event') ?? '', id: field('id'), data: JSON.parse(field('data') ?? 'null') };
    });
}

describe('POST /v1/projects/:id/render', () => {
  it('answers 202 with the queued job at once, and 409 while that job is active', async () => {
    const { svc } = await setup();
    const first = await supertest(svc.app).post('/v1/projects/p1/render').set(as('alice')).send({ quality: 'draft' });
    expect(first.status).toBe(202);
    expect(first.body.job).toMatchObject({
      projectId: 'p1',
      owner: 'alice',
      status: 'queued',
      progress: 0,
      options: { quality: 'draft', resolution: '720p', polish: null, gif: false },
    });
    expect(first.body.job).not.toHaveProperty('lease');
    expect(first.body.job).not.toHaveProperty('project');

    const second = await supertest(svc.app).post('/v1/projects/p1/render').set(as('alice')).send({});
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'conflict', details: { jobId: first.body.job.id } });

    await supertest(svc.app).post(`/v1/jobs/${first.body.job.id}/cancel`).set(as('alice')).expect(200);
    await supertest(svc.app).post('/v1/projects/p1/render').set(as('alice')).send({}).expect(202);
  });

  it('starts one job when many requests for one project arrive together', async () => {
    const { svc } = await setup();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => supertest(svc.app).post('/v1/projects/p1/render').set(as('alice')).send({})),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409, 409, 409]);
    expect(await svc.ctx.docs.query('jobs')).toHaveLength(1);
  });

  it("refuses another user's project as not found, a project without scenes and bad options", async () => {
    const { svc } = await setup();
    const other = await supertest(svc.app).post('/v1/projects/p1/render').set(as('bob')).send({});
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    await supertest(svc.app).post('/v1/projects/nope/render').set(as('alice')).send({}).expect(404);

    await seedProject(svc.ctx.docs, 'empty', 'alice', 0);
    const empty = await supertest(svc.app).post('/v1/projects/empty/render').set(as('alice')).send({});
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toMatch(/no scenes/);

    const bad = await supertest(svc.app).post('/v1/projects/p1/render').set(as('alice')).send({ quality: 'ultra' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields[0].field).toBe('quality');
    for (const polish of [{}, { upscale: '8k' }, { sharpen: true }, true]) {
      const refused = await supertest(svc.app).post('/v1/projects/p1/render').set(as('alice')).send({ polish });
      expect(refused.status, JSON.stringify(polish)).toBe(422);
      expect(refused.body.error.details.fields[0].field).toMatch(/^polish/);
    }
    await supertest(svc.app).post('/v1/projects/p1/render').send({}).expect(401);
    expect(await svc.ctx.docs.query('jobs')).toHaveLength(0);
  });

  it('checks the plan quota before queueing (429) without charging it', async () => {
    const { svc } = await setup();
    for (let i = 0; i < 10; i++) await chargeQuota(svc.ctx.docs, 'alice');
    const res = await supertest(svc.app).post('/v1/projects/p1/render').set(as('alice')).send({});
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await svc.ctx.docs.query('jobs')).toHaveLength(0);
    // A pro user's own project is still under its limit.
    await seedProject(svc.ctx.docs, 'p2', 'carol');
    await supertest(svc.app).post('/v1/projects/p2/render').set(userHeaders('carol', 'pro')).send({}).expect(202);
  });
});

describe('job routes', () => {
  it("answers not found for another user's job on every route", async () => {
    const { svc } = await setup();
    const { body } = await supertest(svc.app).post('/v1/projects/p1/render').set(as('alice')).send({}).expect(202);
    const id = body.job.id;
    const app = supertest(svc.app);
    for (const res of [
      await app.get(`/v1/jobs/${id}`).set(as('bob')),
      await app.get(`/v1/jobs/${id}/logs`).set(as('bob')),
      await app.get(`/v1/jobs/${id}/events`).set(as('bob')),
      await app.post(`/v1/jobs/${id}/cancel`).set(as('bob')),
      await app.post(`/v1/jobs/${id}/retry`).set(as('bob')),
      await app.get('/v1/projects/p1/jobs').set(as('bob')),
      await app.get('/v1/jobs/missing').set(as('alice')),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await app.get(`/v1/jobs/${id}`).set(as('alice'))).body.job.status).toBe('queued');
  });

  it('shows the job, its logs and the project’s jobs, and runs it through the internal route', async () => {
    const { svc } = await setup();
    const app = supertest(svc.app);
    const { body } = await app.post('/v1/projects/p1/render').set(as('alice')).send({}).expect(202);
    const id = body.job.id;

    await app.post(`/internal/jobs/${id}/run`).set(as('alice')).expect(403);
    const run = await app.post(`/internal/jobs/${id}/run`).set(await serviceHeaders('compose'));
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ status: 'succeeded' });
    // Delivered twice (at least once): the second delivery finds nothing to do.
    expect((await app.post(`/internal/jobs/${id}/run`).set(await serviceHeaders('compose'))).body).toEqual({
      status: 'succeeded',
    });

    const job = (await app.get(`/v1/jobs/${id}`).set(as('alice')).expect(200)).body.job;
    expect(job).toMatchObject({ status: 'succeeded', stage: 'done', progress: 100 });
    expect(job.result.videoPath).toMatch(new RegExp(`/renders/${id}/movie\\.mp4$`));
    expect(job.steps.narrate).toMatchObject({ status: 'done', attempts: 1 });
    expect(job.steps.narrate).not.toHaveProperty('output');
    const logs = (await app.get(`/v1/jobs/${id}/logs`).set(as('alice')).expect(200)).body.logs;
    expect(logs[0]).toMatchObject({ seq: 1, level: 'info', message: 'queued' });
    expect(logs.at(-1).message).toBe('the movie is ready');
    expect(logs.map((l: { seq: number }) => l.seq)).toEqual(logs.map((_: unknown, i: number) => i + 1));
    const list = (await app.get('/v1/projects/p1/jobs').set(as('alice')).expect(200)).body.jobs;
    expect(list.map((j: { id: string }) => j.id)).toEqual([id]);
  });

  it('cancels only an active job, and retries only a failed or cancelled one', async () => {
    const { svc } = await setup();
    const app = supertest(svc.app);
    const { body } = await app.post('/v1/projects/p1/render').set(as('alice')).send({}).expect(202);
    const id = body.job.id;
    const retryQueued = await app.post(`/v1/jobs/${id}/retry`).set(as('alice'));
    expect(retryQueued.status).toBe(409);
    expect(retryQueued.body.error.message).toMatch(/only a failed or cancelled job/);
    await app.post(`/v1/jobs/${id}/cancel`).set(as('alice')).expect(200);
    const again = await app.post(`/v1/jobs/${id}/cancel`).set(as('alice'));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('the job already was cancelled');

    // Another job of the project took over meanwhile: retrying the old one would make two.
    const { body: second } = await app.post('/v1/projects/p1/render').set(as('alice')).send({}).expect(202);
    await app.post(`/v1/jobs/${id}/retry`).set(as('alice')).expect(409);
    await app.post(`/v1/jobs/${second.job.id}/cancel`).set(as('alice')).expect(200);
    const retried = await app.post(`/v1/jobs/${id}/retry`).set(as('alice'));
    expect(retried.status).toBe(202);
    expect(retried.body.job).toMatchObject({ status: 'queued', finishedAt: null });
  });
});

describe('GET /v1/jobs/:id/events', () => {
  it('streams job and log events until the job ends, with heartbeats', async () => {
    const { svc, fake } = await setup();
    const render = fake.handlers.render;
    // A render that takes a while: long enough for heartbeats.
    fake.handlers.render = async (body, options) => {
      await sleep(300);
      return render(body, options);
    };
    const app = supertest(svc.app);
    const { body } = await app.post('/v1/projects/p1/render').set(as('alice')).send({}).expect(202);
    const streaming = app
      .get(`/v1/jobs/${body.job.id}/events`)
      .set(as('alice'))
      .then((r) => r);
    // The worker starts once the stream is open, so the stream sees every stage.
    await sleep(150);
    const worker = startJobWorker(svc.ctx, fake.deps());
    cleanups.push(() => worker.stop());
    const res = await streaming;
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.text).toContain(': keep-alive');
    const events = parseSse(res.text);
    expect(events[0]?.event).toBe('job');
    expect(events.at(-1)).toEqual({ event: 'end', id: undefined, data: { status: 'succeeded' } });
    const jobs = events.filter((e) => e.event === 'job').map((e) => e.data);
    const progress = jobs.map((j) => j.progress ?? -1);
    expect(progress.every((p, i) => i === 0 || p >= (progress[i - 1] as number))).toBe(true);
    expect(progress.at(-1)).toBe(100);
    expect(new Set(jobs.map((j) => j.stage))).toEqual(
      new Set(['queued', 'images', 'narrate', 'align', 'captions', 'music', 'render', 'done']),
    );
    const logs = events.filter((e) => e.event === 'log');
    expect(logs.map((e) => Number(e.id))).toEqual(logs.map((e) => e.data.seq));
    expect(logs.map((e) => e.data.message)).toContain('render started');
    expect(logs.at(-1)?.data.message).toBe('the movie is ready');

    // Reconnecting after the end: the final state at once, and only log lines newer than Last-Event-ID.
    const lastSeq = logs.at(-1)?.data.seq ?? 0;
    const replay = await app
      .get(`/v1/jobs/${body.job.id}/events`)
      .set(as('alice'))
      .set('last-event-id', String(lastSeq - 1));
    expect(parseSse(replay.text).map((e) => e.event)).toEqual(['job', 'log', 'end']);
  });

  it('follows a job run by a worker of another instance (no in-process signal, only the poll)', async () => {
    const { svc, fake } = await setup();
    const other = await createTestService({
      name: 'compose',
      routes: () => [],
      envOverrides: { DOC_SQLITE_PATH: `${svc.dataDir}/docs.db` },
    });
    cleanups.push(() => other.close());
    const app = supertest(svc.app);
    const { body } = await app.post('/v1/projects/p1/render').set(as('alice')).send({}).expect(202);
    const streaming = app
      .get(`/v1/jobs/${body.job.id}/events`)
      .set(as('alice'))
      .then((r) => r);
    await sleep(150);
    const worker = startJobWorker(other.ctx, fake.deps());
    cleanups.push(() => worker.stop());
    const events = parseSse((await streaming).text);
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { status: 'succeeded' } });
    expect(events.filter((e) => e.event === 'job').length).toBeGreaterThan(1);
    expect(events.filter((e) => e.event === 'log').at(-1)?.data.message).toBe('the movie is ready');
  });
});

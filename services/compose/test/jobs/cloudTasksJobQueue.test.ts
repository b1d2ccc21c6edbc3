import { setTimeout as sleep } from 'node:timers/promises';
import { CloudTasksClient } from '@google-cloud/tasks';
import { serviceHeaders, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { cloudTasksJobQueue, startJobWorker, type TasksClient } from '../../src/jobs/index.js';
import { composeService, fakeMesh, jobOf, seedProject } from './jobFixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const SETTINGS = {
  project: 'demo-storyreel',
  location: 'us-central1',
  queue: 'movie-jobs',
  targetUrl: 'https://storyreel-compose-abc.a.run.app/',
  serviceAccountEmail: 'storyreel-compose@demo-storyreel.iam.gserviceaccount.com',
};

type CreateTask = Parameters<TasksClient['createTask']>[0];

describe('Cloud Tasks job queue', () => {
  it('pushes each job to the internal run route with an OIDC token for compose', async () => {
    const created: CreateTask[] = [];
    const queue = cloudTasksJobQueue(SETTINGS, {
      createTask: async (request) => {
        created.push(request);
        return [{ name: `${request.parent}/tasks/1` }];
      },
    });
    await queue.enqueue('job-1');
    expect(created).toEqual([
      {
        parent: 'projects/demo-storyreel/locations/us-central1/queues/movie-jobs',
        task: {
          httpRequest: {
            httpMethod: 'POST',
            url: 'https://storyreel-compose-abc.a.run.app/internal/jobs/job-1/run',
            oidcToken: {
              serviceAccountEmail: 'storyreel-compose@demo-storyreel.iam.gserviceaccount.com',
              audience: 'https://storyreel-compose-abc.a.run.app',
            },
          },
          dispatchDeadline: { seconds: 900 },
        },
      },
    ]);
  });

  it('runs a job delivered the way Cloud Tasks delivers it', async () => {
    const fake = fakeMesh();
    const delivered: Promise<supertest.Response>[] = [];
    let app: supertest.Agent | undefined;
    const queue = cloudTasksJobQueue(SETTINGS, {
      // Cloud Tasks calls the task's URL with its own credentials; here, a mesh token for compose.
      createTask: async (request) => {
        const url = new URL(request.task.httpRequest.url);
        delivered.push(serviceHeaders('compose').then((headers) => app!.post(url.pathname).set(headers)));
        return [{}];
      },
    });
    const svc = await composeService({ ...fake.deps(), queue });
    cleanups.push(() => svc.close());
    app = supertest.agent(svc.app);
    await seedProject(svc.ctx.docs, 'p1');
    const { body } = await app.post('/v1/projects/p1/render').set(userHeaders('alice')).send({}).expect(202);

    expect(delivered).toHaveLength(1);
    const run = await delivered[0]!;
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ status: 'succeeded' });
    expect((await jobOf(svc.ctx.docs, body.job.id)).status).toBe('succeeded');
    expect(fake.count('render')).toBe(1);
  });

  it('fails the job at once, with 503, when the task cannot be created', async () => {
    const fake = fakeMesh();
    const queue = cloudTasksJobQueue(SETTINGS, {
      createTask: async () => {
        throw new Error('14 UNAVAILABLE: no connection');
      },
    });
    const svc = await composeService({ ...fake.deps(), queue });
    cleanups.push(() => svc.close());
    await seedProject(svc.ctx.docs, 'p1');
    const res = await supertest(svc.app).post('/v1/projects/p1/render').set(userHeaders('alice')).send({});
    expect(res.status).toBe(503);
    const [job] = await svc.ctx.docs.query<{ status: string; error: string }>('jobs');
    expect(job?.data).toMatchObject({ status: 'failed', error: 'the job could not be queued; retry it' });
  });

  it('leaves delivery to Cloud Tasks: its worker takes no job by itself', async () => {
    const fake = fakeMesh();
    const queue = cloudTasksJobQueue(SETTINGS, { createTask: async () => [{}] });
    const svc = await composeService({ ...fake.deps(), queue });
    cleanups.push(() => svc.close());
    const worker = startJobWorker(svc.ctx, { ...fake.deps(), queue });
    cleanups.push(() => worker.stop());
    await seedProject(svc.ctx.docs, 'p1');
    const { body } = await supertest(svc.app)
      .post('/v1/projects/p1/render')
      .set(userHeaders('alice'))
      .send({})
      .expect(202);
    await sleep(200);
    expect((await jobOf(svc.ctx.docs, body.job.id)).status).toBe('queued');
    expect(fake.calls).toHaveLength(0);
  });

  it('builds the real client without reaching the network', () => {
    const client: TasksClient = new CloudTasksClient();
    expect(typeof client.createTask).toBe('function');
  });
});

import { createTestService, type TestService } from '@storyreel/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRenderJob, trackRenderJob } from '../src/renderJobs.js';

let svc: TestService;
beforeAll(async () => {
  svc = await createTestService({ name: 'render', routes: () => [] });
});
afterAll(async () => {
  await svc.close();
});

const alice = { kind: 'user' as const, uid: 'alice', plan: 'free' as const };
const compose = { kind: 'service' as const, service: 'compose' };
const log = { warn: () => undefined };
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('render jobs', () => {
  it('shows each stage as it starts, and thins out progress within a stage', async () => {
    const job = trackRenderJob(svc.ctx.docs, alice, 'j1', log);
    await settle();
    expect(await readRenderJob(svc.ctx.docs, alice, 'j1')).toMatchObject({
      status: 'running',
      stage: 'checking',
      percent: 0,
    });
    job.progress({ stage: 'rendering', percent: 5 });
    job.progress({ stage: 'rendering', percent: 30 });
    await settle();
    // The stage change was written at once; 30 % less than a second later was not.
    expect(await readRenderJob(svc.ctx.docs, alice, 'j1')).toMatchObject({ stage: 'rendering', percent: 5 });
    await job.failed(new Error('disk on fire'));
    expect(await readRenderJob(svc.ctx.docs, alice, 'j1')).toMatchObject({
      status: 'failed',
      percent: 30,
      error: { code: 'internal', message: 'the render failed on our side; try again' },
    });
  });

  it('keeps two callers with the same job id apart', async () => {
    const mine = trackRenderJob(svc.ctx.docs, compose, 'shared-id', log);
    await mine.succeeded({ videoPath: 'gs://storyreel-media/x/movie.mp4' } as never);
    expect(await readRenderJob(svc.ctx.docs, compose, 'shared-id')).toMatchObject({
      status: 'succeeded',
      percent: 100,
    });
    expect(await readRenderJob(svc.ctx.docs, alice, 'shared-id')).toBeNull();
  });
});

import { createTestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createIllustrator } from '../../src/adapters/illustrator.js';
import { jobRoutes, movieJobDeps, startJobWorker } from '../../src/jobs/index.js';
import { PROJECTS, type ProjectData } from '../../src/projectModel.js';
import { FAST, fakeMesh, jobReaches, seedProject } from './jobFixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe("the images step with compose's own image generation", () => {
  it('draws the missing pictures into the project and hands their paths to the render', async () => {
    const fake = fakeMesh();
    const deps = (ctx: Parameters<typeof movieJobDeps>[0]) => ({
      ...movieJobDeps(ctx, createIllustrator()),
      calls: fake.mesh,
      settings: FAST,
    });
    const svc = await createTestService({ name: 'compose', routes: (ctx) => jobRoutes(ctx, deps(ctx)) });
    cleanups.push(() => svc.close());
    const worker = startJobWorker(svc.ctx, deps(svc.ctx));
    cleanups.push(() => worker.stop());
    await seedProject(svc.ctx.docs, 'p1', 'alice', 2);

    const { body } = await supertest(svc.app)
      .post('/v1/projects/p1/render')
      .set(userHeaders('alice'))
      .send({})
      .expect(202);
    const job = await jobReaches(svc.ctx.docs, body.job.id, 'succeeded', 'failed');
    expect(job.error).toBeNull();
    expect(job.logs.map((l) => l.message)).toContain('images ready for 2 scenes (2 drawn now)');

    const project = (await svc.ctx.docs.get<ProjectData>(PROJECTS, 'p1'))?.data;
    const paths = project?.scenes.map((s) => s.imagePath) ?? [];
    expect(paths).toHaveLength(2);
    for (const path of paths) {
      expect(path).toMatch(/^gs:\/\/storyreel-media\/users\/alice\/projects\/p1\/images\/[0-9a-f]{32}\.jpg$/);
      expect(await svc.ctx.blobs.exists(path as string)).toBe(true);
    }
    const manifest = fake.calls.find((c) => c.name === 'render')?.body as { scenes: { imagePath: string }[] };
    expect(manifest.scenes.map((s) => s.imagePath)).toEqual(paths);
  });
});

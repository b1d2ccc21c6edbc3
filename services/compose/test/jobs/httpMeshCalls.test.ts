import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceName } from '@storyreel/config';
import { type Caller, defineRoute } from '@storyreel/shared';
import { createTestService, freePort, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { httpMeshCalls, jobRoutes, startJobWorker } from '../../src/jobs/index.js';
import type { CallOptions } from '../../src/jobs/meshCalls.js';
import { FAST, fakeMesh, jobReaches, seedProject } from './jobFixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

interface Received {
  service: string;
  url: string;
  caller: Caller;
  idempotencyKey: string | undefined;
  body: unknown;
}

type Reply = (body: never, options: CallOptions) => Promise<unknown>;

describe('MeshCalls over HTTP', () => {
  it('runs a whole job against services on loopback, as the user, with idempotency keys', async () => {
    const replies = fakeMesh().handlers;
    // A render long enough for one progress poll.
    const slowRender: Reply = async (body, options) => {
      await sleep(1_200);
      return replies.render(body, options as never);
    };
    const slowPolish: Reply = async (body, options) => {
      await sleep(1_200);
      return replies.polish(body, options as never);
    };
    const stubs: Record<string, { service: ServiceName; method: 'get' | 'post'; reply: Reply }> = {
      '/v1/narrate': { service: 'narrate', method: 'post', reply: replies.narrate as Reply },
      '/v1/align': { service: 'align-captions', method: 'post', reply: replies.align as Reply },
      '/v1/captions': { service: 'align-captions', method: 'post', reply: replies.captions as Reply },
      '/v1/music': { service: 'music', method: 'post', reply: replies.music as Reply },
      '/v1/render': { service: 'render', method: 'post', reply: slowRender },
      '/v1/renders/:jobId': { service: 'render', method: 'get', reply: async () => ({ percent: 40 }) },
      '/v1/polish': { service: 'polish', method: 'post', reply: slowPolish },
      '/v1/polishes/:jobId': { service: 'polish', method: 'get', reply: async () => ({ percent: 60 }) },
    };
    const names = ['narrate', 'align-captions', 'music', 'render', 'polish'] as const;
    const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const)));
    const SERVICE_URLS = JSON.stringify(Object.fromEntries(names.map((n) => [n, `http://127.0.0.1:${ports[n]}`])));
    const received: Received[] = [];
    for (const name of names) {
      const svc = await createTestService({
        name,
        envOverrides: { SERVICE_URLS },
        routes: () =>
          Object.entries(stubs)
            .filter(([, stub]) => stub.service === name)
            .map(([path, stub]) =>
              defineRoute({
                method: stub.method,
                path,
                summary: 'stub',
                auth: 'user-or-service',
                ...(stub.method === 'post' ? { body: z.record(z.string(), z.unknown()) } : {}),
                handler: ({ body, caller, req }) => {
                  received.push({
                    service: name,
                    url: req.originalUrl,
                    caller,
                    idempotencyKey: req.get('idempotency-key'),
                    body,
                  });
                  return stub.reply(body as never, undefined as never);
                },
              }),
            ),
      });
      await svc.listen(ports[name]);
      cleanups.push(() => svc.close());
    }

    const fake = fakeMesh();
    const compose = await createTestService({
      name: 'compose',
      envOverrides: { SERVICE_URLS },
      routes: (ctx) =>
        jobRoutes(ctx, { calls: httpMeshCalls(ctx), generateMissingImages: fake.images, settings: FAST }),
    });
    cleanups.push(() => compose.close());
    const worker = startJobWorker(compose.ctx, {
      calls: httpMeshCalls(compose.ctx),
      generateMissingImages: fake.images,
      settings: FAST,
    });
    cleanups.push(() => worker.stop());
    await seedProject(compose.ctx.docs, 'p1', 'alice', 2);
    const { body } = await supertest(compose.app)
      .post('/v1/projects/p1/render')
      .set(userHeaders('alice', 'pro'))
      .send({ polish: { denoise: 'light', interpolate: true } })
      .expect(202);
    const job = await jobReaches(compose.ctx.docs, body.job.id, 'succeeded', 'failed');
    expect(job.error).toBeNull();

    const posts = received.filter((r) => !/^\/v1\/(renders|polishes)\//.test(r.url));
    expect(posts.map((r) => r.url)).toEqual([
      '/v1/narrate',
      '/v1/align',
      '/v1/captions',
      '/v1/music',
      `/v1/render?jobId=${job.id}`,
      `/v1/polish?jobId=${job.id}`,
    ]);
    for (const r of posts) {
      expect(r.idempotencyKey).toMatch(
        new RegExp(`^${job.id}:(narrate|align|captions|music|render|polish):[0-9a-f]{24}$`),
      );
    }
    expect(received.map((r) => r.url)).toEqual(
      expect.arrayContaining([`/v1/renders/${job.id}`, `/v1/polishes/${job.id}`]),
    );
    for (const r of received) expect(r.caller).toEqual({ kind: 'user', uid: 'alice', plan: 'pro', via: 'compose' });
    const rendered = `gs://storyreel-media/users/alice/projects/p1/renders/${job.id}/movie.mp4`;
    expect(received.find((r) => r.service === 'polish' && r.url.startsWith('/v1/polish?'))?.body).toEqual({
      videoPath: rendered,
      denoise: 'light',
    });
    expect(job.result?.videoPath).toBe(rendered.replace(/movie\.mp4$/, 'polished/k1/movie.mp4'));
  });
});

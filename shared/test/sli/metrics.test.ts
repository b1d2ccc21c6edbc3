import { rmSync } from 'node:fs';
import { createService, defineRoute, sliRoutes } from '@storyreel/shared';
import { createTestService, serviceHeaders, testEnv, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { sampleValue } from './promText.js';

const routes = () => [
  defineRoute({
    method: 'get',
    path: '/v1/voices/:id',
    summary: 'A voice',
    auth: 'public',
    handler: ({ params }) => ({ id: params.id }),
  }),
];

describe('/metrics', () => {
  it('gives each service its own registry, so two services in one process do not clash', async () => {
    const one = await createTestService({ name: 'narrate', routes });
    const two = await createTestService({ name: 'music', routes });
    try {
      await supertest(one.app).get('/v1/voices/en');
      await supertest(one.app).get('/nowhere/at/all');
      const a = await supertest(one.app).get('/metrics');
      const b = await supertest(two.app).get('/metrics');
      const voices = { method: 'GET', route: '/v1/voices/:id', service: 'narrate' };
      expect(sampleValue(a.text, 'http_requests_total', { ...voices, status: '200' })).toBe(1);
      expect(sampleValue(a.text, 'http_requests_total', { route: '(unmatched)', status: '404' })).toBe(1);
      expect(sampleValue(a.text, 'http_request_duration_seconds_bucket', { ...voices, le: '+Inf' })).toBe(1);
      expect(sampleValue(a.text, 'http_request_duration_seconds_count', voices)).toBe(1);
      expect(b.text).not.toContain('route="/v1/voices/:id"');
      expect(b.text).toContain('service="music"');
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('in production only mesh services may read it', async () => {
    const env = { ...testEnv(), NODE_ENV: 'production' as const };
    const svc = createService({ name: 'narrate', routes, env });
    try {
      expect((await supertest(svc.app).get('/metrics')).status).toBe(401);
      expect((await supertest(svc.app).get('/metrics').set(userHeaders('alice'))).status).toBe(403);
      const mesh = await supertest(svc.app)
        .get('/metrics')
        .set(await serviceHeaders('narrate'));
      expect(mesh.status).toBe(200);
      expect(mesh.text).toContain('# TYPE http_requests_total counter');
    } finally {
      await svc.close();
      rmSync(env.dataDir, { recursive: true, force: true });
    }
  });

  it('GET /v1/sli serves the status page numbers', async () => {
    const svc = await createTestService({ name: 'compose', routes: (ctx) => sliRoutes(ctx) });
    try {
      const res = await supertest(svc.app).get('/v1/sli?days=3');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ days: 3, renderSuccessRate: null, render: { total: 0 } });
      expect((await supertest(svc.app).get('/v1/sli?days=365')).status).toBe(422);
    } finally {
      await svc.close();
    }
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { defineRoute, notFound } from '@storyreel/shared';
import { createTestService, serviceHeaders, type TestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sampleValue } from '../sli/promText.js';

const Echo = z.object({ title: z.string().min(1), scenes: z.array(z.object({ text: z.string().min(1) })).min(1) });

const routes = () => [
  defineRoute({
    method: 'post',
    path: '/v1/echo',
    summary: 'Echo a story',
    auth: 'user',
    body: Echo,
    bodyLimit: '1kb',
    handler: ({ body, caller }) => ({ ...body, uid: caller.kind === 'user' ? caller.uid : null }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/items/:id',
    summary: 'One item',
    auth: 'user-or-service',
    handler: ({ params }) => {
      if (params.id === 'missing') throw notFound('item');
      return { id: params.id };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/internal/jobs',
    summary: 'Mesh-only work',
    auth: 'service',
    handler: ({ caller }) => ({ from: caller.kind === 'service' ? caller.service : null }),
  }),
  defineRoute({
    method: 'post',
    path: '/internal/v1/work',
    summary: 'Mesh-only work, as api-key and compose have it',
    auth: 'service',
    handler: () => ({ done: true }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/slow',
    summary: 'Takes a while',
    auth: 'public',
    handler: async () => {
      await sleep(600);
      return { done: true };
    },
  }),
];

const errorShape = expect.objectContaining({
  error: expect.objectContaining({
    code: expect.any(String),
    message: expect.any(String),
    requestId: expect.any(String),
  }),
});

describe('the route pipeline refuses bad requests with one error shape', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await createTestService({ name: 'music', routes });
  });
  afterAll(() => svc.close());

  it('answers 200 for a good request', async () => {
    const res = await supertest(svc.app)
      .post('/v1/echo')
      .set(userHeaders('alice'))
      .send({ title: 'T', scenes: [{ text: 'once' }] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ title: 'T', scenes: [{ text: 'once' }], uid: 'alice' });
  });

  it('400 for a body that is not JSON', async () => {
    const res = await supertest(svc.app)
      .post('/v1/echo')
      .set(userHeaders('alice'))
      .set('content-type', 'application/json')
      .send('{"title": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorShape);
    expect(res.body.error.code).toBe('invalid_argument');
  });

  it('401 without a user token and with a forged one', async () => {
    const missing = await supertest(svc.app)
      .post('/v1/echo')
      .send({ title: 'T', scenes: [{ text: 'x' }] });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthenticated');
    const forged = await supertest(svc.app)
      .post('/v1/echo')
      .set('authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl')
      .send({ title: 'T', scenes: [{ text: 'x' }] });
    expect(forged.status).toBe(401);
    expect(forged.body).toEqual(errorShape);
  });

  it('401 for a mesh token signed with the wrong secret, 200 with the right one', async () => {
    const forged = await supertest(svc.app)
      .post('/v1/internal/jobs')
      .set(await serviceHeaders('music', { secret: 'not-the-mesh-secret-but-just-as-long-0123456789' }));
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatchObject({ code: 'unauthenticated', message: 'invalid service credentials' });
    const real = await supertest(svc.app)
      .post('/v1/internal/jobs')
      .set(await serviceHeaders('music', { from: 'compose' }));
    expect(real.status).toBe(200);
    expect(real.body).toEqual({ from: 'compose' });
  });

  it('accepts a mesh token in Authorization on a service-only route, as Cloud Tasks sends it', async () => {
    const mesh = await serviceHeaders('music', { from: 'tasks' });
    const token = Object.values(mesh)[0] as string;
    const res = await supertest(svc.app).post('/v1/internal/jobs').set('authorization', token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ from: 'tasks' });
  });

  it('403 for a user calling a service-only route', async () => {
    const res = await supertest(svc.app).post('/v1/internal/jobs').set(userHeaders('alice'));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('permission_denied');
  });

  it('404 for an unknown route and for a missing item', async () => {
    const route = await supertest(svc.app).get('/v1/nope').set(userHeaders('alice'));
    expect(route.status).toBe(404);
    expect(route.body).toEqual(errorShape);
    expect(route.body.error.code).toBe('not_found');
    const item = await supertest(svc.app).get('/v1/items/missing').set(userHeaders('alice'));
    expect(item.status).toBe(404);
    expect(item.body.error.message).toBe('item not found');
  });

  it('413 for a body over the route limit', async () => {
    const res = await supertest(svc.app)
      .post('/v1/echo')
      .set(userHeaders('alice'))
      .send({ title: 'x'.repeat(2048), scenes: [{ text: 'x' }] });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('422 listing every failing field', async () => {
    const res = await supertest(svc.app)
      .post('/v1/echo')
      .set(userHeaders('alice'))
      .send({ title: '', scenes: [{ text: 'ok' }, { text: 3 }] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_argument');
    const fields = (res.body.error.details.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['scenes.1.text', 'title']);
  });

  it('/health is public; /health/detailed is for services', async () => {
    const health = await supertest(svc.app).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', service: 'music' });
    const anonymous = await supertest(svc.app).get('/health/detailed');
    expect(anonymous.status).toBe(401);
    const service = await supertest(svc.app)
      .get('/health/detailed')
      .set(await serviceHeaders('music'));
    expect(service.status).toBe(200);
    expect(service.body.checks.docStore.ok).toBe(true);
  });

  it('/openapi.json is an OpenAPI 3.1 document with every route', async () => {
    const res = await supertest(svc.app).get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/internal/v1/work',
      '/v1/echo',
      '/v1/internal/jobs',
      '/v1/items/{id}',
      '/v1/slow',
    ]);
    const item = doc.paths['/v1/items/{id}'].get;
    expect(item.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(doc.paths['/v1/echo'].post.requestBody.content['application/json'].schema.properties).toHaveProperty(
      'scenes',
    );
    for (const ops of Object.values(doc.paths) as Record<string, { responses: object }>[]) {
      for (const op of Object.values(ops)) expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    }
  });

  it('/metrics counts requests under the route pattern, not the raw URL', async () => {
    await supertest(svc.app).get('/v1/items/abc').set(userHeaders('alice'));
    await supertest(svc.app).get('/v1/items/def').set(userHeaders('alice'));
    const res = await supertest(svc.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const items = { method: 'GET', route: '/v1/items/:id', service: 'music' };
    expect(sampleValue(res.text, 'http_requests_total', { ...items, status: '200' })).toBe(2);
    expect(sampleValue(res.text, 'http_requests_total', { method: 'POST', route: '/v1/echo', status: '422' })).toBe(1);
    // The histogram has no status label: the earlier 404 for /v1/items/missing is in it too.
    expect(sampleValue(res.text, 'http_request_duration_seconds_count', items)).toBe(3);
    expect(res.text).not.toContain('/v1/items/abc');
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });
});

describe('behind Firebase Hosting', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await createTestService({ name: 'music', routes });
  });
  afterAll(() => svc.close());

  it('serves the same routes under its Hosting prefix, as Firebase Hosting forwards the whole path', async () => {
    const res = await supertest(svc.app).get('/api/music/v1/items/7?x=1').set(userHeaders('alice'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: '7' });
    // Another service's prefix is not ours.
    const other = await supertest(svc.app).get('/api/render/v1/items/7').set(userHeaders('alice'));
    expect(other.status).toBe(404);
    expect((await supertest(svc.app).get('/api/music/health')).status).toBe(200);
    expect((await supertest(svc.app).get('/api/music/openapi.json')).status).toBe(200);
  });

  it('keeps metrics and mesh-only routes off the browser-facing path', async () => {
    expect((await supertest(svc.app).get('/metrics')).status).toBe(200);
    expect((await supertest(svc.app).get('/api/music/metrics')).status).toBe(404);
    const mesh = await serviceHeaders('music', { from: 'compose' });
    expect((await supertest(svc.app).post('/internal/v1/work').set(mesh)).status).toBe(200);
    expect((await supertest(svc.app).post('/api/music/internal/v1/work').set(mesh)).status).toBe(404);
  });
});

describe('graceful shutdown', () => {
  it('lets a slow in-flight request finish with 200 after close() is called', async () => {
    const svc = await createTestService({ name: 'music', routes });
    const { url } = await svc.listen(0);
    const inFlight = fetch(`${url}/v1/slow`);
    await sleep(150);
    const closed = svc.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    const started = Date.now();
    await closed;
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});

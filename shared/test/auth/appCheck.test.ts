import { Writable } from 'node:stream';
import { createLogger, defineRoute } from '@storyreel/shared';
import { createTestService, serviceHeaders, type TestService, userHeaders } from '@storyreel/shared/testing';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DEBUG_TOKEN = 'local-app-check-debug-token-123';

const routes = () => [
  defineRoute({
    method: 'get',
    path: '/v1/me',
    summary: 'Who am I',
    auth: 'user-or-service',
    handler: () => ({ ok: true }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/share-card',
    summary: 'Unfurl',
    auth: 'public',
    appCheck: false,
    handler: () => ({ ok: true }),
  }),
];

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger('upload', 'warn', sink), lines };
}

describe('App Check in enforce mode', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await createTestService({
      name: 'upload',
      routes,
      envOverrides: { APP_CHECK_MODE: 'enforce', APP_CHECK_DEBUG_TOKEN: DEBUG_TOKEN },
    });
  });
  afterAll(() => svc.close());

  it('401 with a clear message when the header is missing', async () => {
    const res = await supertest(svc.app).get('/v1/me').set(userHeaders('alice'));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect(res.body.error.message).toContain('x-firebase-appcheck header is missing');
  });

  it('401 for a token that is not a valid App Check token', async () => {
    const res = await supertest(svc.app)
      .get('/v1/me')
      .set(userHeaders('alice'))
      .set('X-Firebase-AppCheck', 'eyJhbGciOiJSUzI1NiJ9.e30.forged');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('App Check token is invalid');
  });

  it('accepts the debug token locally', async () => {
    const res = await supertest(svc.app)
      .get('/v1/me')
      .set(userHeaders('alice'))
      .set('X-Firebase-AppCheck', DEBUG_TOKEN);
    expect(res.status).toBe(200);
  });

  it('exempts mesh services and routes with appCheck: false', async () => {
    const mesh = await supertest(svc.app)
      .get('/v1/me')
      .set(await serviceHeaders('upload'));
    expect(mesh.status).toBe(200);
    const onBehalf = await supertest(svc.app)
      .get('/v1/me')
      .set(await serviceHeaders('upload', { onBehalfOf: 'alice' }));
    expect(onBehalf.status).toBe(200);
    const exempt = await supertest(svc.app).get('/v1/share-card');
    expect(exempt.status).toBe(200);
  });

  it('checks auth first: an anonymous caller of a user route gets 401 for sign-in, not App Check', async () => {
    const res = await supertest(svc.app).get('/v1/me');
    expect(res.status).toBe(401);
    expect(res.body.error.message).not.toContain('App Check');
  });
});

describe('App Check in monitor and off modes', () => {
  it('monitor lets the request through and logs a warning', async () => {
    const { logger, lines } = capturingLogger();
    const svc = await createTestService({
      name: 'upload',
      routes,
      logger,
      envOverrides: { APP_CHECK_MODE: 'monitor' },
    });
    try {
      const res = await supertest(svc.app).get('/v1/me').set(userHeaders('alice'));
      expect(res.status).toBe(200);
      expect(lines.some((l) => l.severity === 'WARNING' && String(l.message).includes('App Check would refuse'))).toBe(
        true,
      );
    } finally {
      await svc.close();
    }
  });

  it('off neither checks nor logs', async () => {
    const { logger, lines } = capturingLogger();
    const svc = await createTestService({ name: 'upload', routes, logger, envOverrides: { APP_CHECK_MODE: 'off' } });
    try {
      const res = await supertest(svc.app)
        .get('/v1/me')
        .set(userHeaders('alice'))
        .set('X-Firebase-AppCheck', 'garbage');
      expect(res.status).toBe(200);
      expect(lines.filter((l) => String(l.message).includes('App Check'))).toEqual([]);
    } finally {
      await svc.close();
    }
  });
});

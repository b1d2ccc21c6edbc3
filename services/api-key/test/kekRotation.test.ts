import { createHash } from 'node:crypto';
import { createTestService, serviceHeaders, type TestService, userHeaders } from '@storyreel/shared/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localKek } from '../src/kek/localKek.js';
import type { KeyEncryptionKey } from '../src/kek/port.js';
import type { RewrapReport } from '../src/kekRotation.js';
import { apiKeyRoutes } from '../src/routes.js';

const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
const keyOf = (uid: string, round = 0) =>
  `sk_${createHash('sha256').update(`${uid}/${round}`).digest('hex').slice(0, 48)}`;

/**
 * Holds the second wrap after the rotation until the test lets go: the
 * re-wrap is then stopped half way, with records under both versions.
 */
const hold = { armed: false, wraps: 0, release: () => {} };
const released = new Promise<void>((resolve) => {
  hold.release = resolve;
});

let svc: TestService;
let finished: Promise<RewrapReport>;

beforeAll(async () => {
  let reportDone: (report: RewrapReport) => void = () => undefined;
  finished = new Promise((resolve) => {
    reportDone = resolve;
  });
  svc = await createTestService({
    name: 'api-key',
    routes: (ctx) => {
      const file = localKek(ctx.env.KEK_FILE);
      const held: KeyEncryptionKey = {
        ...file,
        async wrap(key, context) {
          if (hold.armed && ++hold.wraps === 2) await released;
          return file.wrap(key, context);
        },
      };
      return apiKeyRoutes(ctx, { kek: held, rewrapBatchSize: 2, onRewrapped: reportDone });
    },
  });
  for (const uid of USERS) {
    const res = await request(svc.app)
      .put('/v1/keys/elevenlabs')
      .set(userHeaders(uid))
      .send({ apiKey: keyOf(uid) });
    expect(res.status).toBe(200);
  }
});
afterAll(() => svc?.close());

const asMesh = (uid?: string) =>
  serviceHeaders('api-key', uid ? { from: 'narrate', onBehalfOf: uid } : { from: 'ops' });
const readKey = async (uid: string) =>
  request(svc.app)
    .get('/internal/v1/keys/elevenlabs')
    .set(await asMesh(uid));
const kekState = async () =>
  (
    await request(svc.app)
      .get('/internal/v1/kek')
      .set(await asMesh())
  ).body;

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 500 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('KEK rotation', () => {
  it('is for mesh callers only', async () => {
    expect((await request(svc.app).post('/internal/v1/kek/rotations').set(userHeaders('u1'))).status).toBe(403);
    expect((await request(svc.app).get('/internal/v1/kek').set(userHeaders('u1'))).status).toBe(403);
  });

  it('re-wraps every stored data key in the background while keys stay readable and writable', async () => {
    expect(await kekState()).toEqual({ kekVersion: 'local-1', keysByVersion: { 'local-1': USERS.length } });

    hold.armed = true;
    const started = await request(svc.app)
      .post('/internal/v1/kek/rotations')
      .set(await asMesh());
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ kekVersion: 'local-2' });

    // Half way: one record re-wrapped, the rest still under local-1.
    await until(async () => Object.keys((await kekState()).keysByVersion).length === 2);
    const mid = await kekState();
    expect(mid.kekVersion).toBe('local-2');
    expect(mid.keysByVersion).toEqual({ 'local-1': USERS.length - 1, 'local-2': 1 });

    // Every key opens, whichever version wraps it now.
    for (const uid of USERS) {
      const res = await readKey(uid);
      expect(res.status).toBe(200);
      expect(res.body.apiKey).toBe(keyOf(uid));
    }
    // A user replacing their key meanwhile: stored under the new version, never overwritten by the re-wrap.
    const replaced = await request(svc.app)
      .put('/v1/keys/elevenlabs')
      .set(userHeaders('u6'))
      .send({ apiKey: keyOf('u6', 1) });
    expect(replaced.status).toBe(200);
    expect((await readKey('u6')).body.apiKey).toBe(keyOf('u6', 1));

    // Keys used meanwhile (lastUsedAt written, so the record the re-wrap holds has changed under it).
    for (const uid of USERS.slice(0, -1)) {
      const used = await request(svc.app)
        .post('/internal/v1/usage')
        .set(await asMesh(uid))
        .send({ provider: 'elevenlabs' });
      expect(used.status).toBe(204);
    }

    hold.release();
    const report = await finished;
    expect(report).toMatchObject({ kekVersion: 'local-2', failed: 0 });
    // Only u6, replaced under the new version, may have been left alone.
    expect(report.rewrapped).toBeGreaterThanOrEqual(USERS.length - 1);
    expect(report.rewrapped + report.skipped).toBe(USERS.length);
    expect(await kekState()).toEqual({ kekVersion: 'local-2', keysByVersion: { 'local-2': USERS.length } });
    for (const uid of USERS) expect((await readKey(uid)).body.apiKey).toBe(keyOf(uid, uid === 'u6' ? 1 : 0));
  });
});

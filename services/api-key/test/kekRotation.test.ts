import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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
      // Every wrap takes a while, so the re-wrap is still going while the test reads.
      const slow: KeyEncryptionKey = {
        ...file,
        async wrap(key, context) {
          await sleep(15);
          return file.wrap(key, context);
        },
      };
      return apiKeyRoutes(ctx, { kek: slow, rewrapBatchSize: 2, onRewrapped: reportDone });
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

const asMesh = (uid?: string) => serviceHeaders('api-key', { from: 'ops', ...(uid ? { onBehalfOf: uid } : {}) });
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

describe('KEK rotation', () => {
  it('is for mesh callers only', async () => {
    expect((await request(svc.app).post('/internal/v1/kek/rotations').set(userHeaders('u1'))).status).toBe(403);
    expect((await request(svc.app).get('/internal/v1/kek').set(userHeaders('u1'))).status).toBe(403);
  });

  it('re-wraps every stored data key in the background while keys stay readable and writable', async () => {
    expect(await kekState()).toEqual({ kekVersion: 'local-1', keysByVersion: { 'local-1': USERS.length } });

    const started = await request(svc.app)
      .post('/internal/v1/kek/rotations')
      .set(await asMesh());
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ kekVersion: 'local-2' });

    // Reads during the re-wrap: every key opens, whichever version wraps it at that moment.
    let readsWhileMixed = 0;
    let done = false;
    void finished.then(() => {
      done = true;
    });
    while (!done) {
      const state = await kekState();
      for (const uid of USERS) {
        const res = await readKey(uid);
        expect(res.status).toBe(200);
        const expected = uid === 'u6' && readsWhileMixed > 0 ? [keyOf(uid, 0), keyOf(uid, 1)] : [keyOf(uid, 0)];
        expect(expected).toContain(res.body.apiKey);
      }
      if (Object.keys(state.keysByVersion).length > 1) readsWhileMixed++;
      // A user replacing their key mid-rotation: stored under the new version, never overwritten by the re-wrap.
      if (readsWhileMixed === 1) {
        const replaced = await request(svc.app)
          .put('/v1/keys/elevenlabs')
          .set(userHeaders('u6'))
          .send({ apiKey: keyOf('u6', 1) });
        expect(replaced.status).toBe(200);
      }
    }
    expect(readsWhileMixed).toBeGreaterThan(0);

    const report = await finished;
    expect(report.kekVersion).toBe('local-2');
    expect(report.failed).toBe(0);
    expect(report.rewrapped + report.skipped).toBe(USERS.length);
    expect(await kekState()).toEqual({ kekVersion: 'local-2', keysByVersion: { 'local-2': USERS.length } });
    for (const uid of USERS) {
      expect((await readKey(uid)).body.apiKey).toBe(keyOf(uid, uid === 'u6' ? 1 : 0));
    }
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { defineRoute, firebaseApp } from '@storyreel/shared';
import { createTestService, type TestService } from '@storyreel/shared/testing';
import { getAuth } from 'firebase-admin/auth';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../client/loopback.js';

const PROJECT = 'demo-storyreel-test';
const firebaseBin = fileURLToPath(new URL('../../../node_modules/.bin/firebase', import.meta.url));

/** One Auth emulator for this file, on free ports, with its own config and log folder. */
async function startAuthEmulator(): Promise<{ host: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'auth-emulator-'));
  const [auth, hub, logging] = [await freePort(), await freePort(), await freePort()];
  const config = join(dir, 'firebase.json');
  writeFileSync(
    config,
    JSON.stringify({
      emulators: {
        auth: { host: '127.0.0.1', port: auth },
        hub: { host: '127.0.0.1', port: hub },
        logging: { host: '127.0.0.1', port: logging },
        ui: { enabled: false },
        singleProjectMode: true,
      },
    }),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, METADATA_SERVER_DETECTION: 'none' };
  delete env.FIREBASE_AUTH_EMULATOR_HOST;
  const child: ChildProcess = spawn(
    firebaseBin,
    ['emulators:start', '--only', 'auth', '--project', PROJECT, '--config', config],
    {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      const gone = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!gone) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const host = `127.0.0.1:${auth}`;
  const deadline = Date.now() + 110_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`http://${host}/`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return { host, stop };
    await sleep(500);
  }
  await stop();
  throw new Error(`the Auth emulator did not start:\n${output.slice(-2000)}`);
}

const routes = () => [
  defineRoute({
    method: 'get',
    path: '/v1/whoami',
    summary: 'The caller',
    auth: 'user',
    handler: ({ caller }) => caller,
  }),
];

describe('Firebase ID tokens against the Auth emulator', () => {
  let emulator: Awaited<ReturnType<typeof startAuthEmulator>>;
  let svc: TestService;
  const previousHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;

  const signIn = async (path: 'signUp' | 'signInWithPassword', email: string) => {
    const res = await fetch(`http://${emulator.host}/identitytoolkit.googleapis.com/v1/accounts:${path}?key=any-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'secret-123', returnSecureToken: true }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { idToken: string; localId: string };
  };
  const whoami = (token: string) => supertest(svc.app).get('/v1/whoami').set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    emulator = await startAuthEmulator();
    // firebase-admin reads the emulator address from the process environment.
    process.env.FIREBASE_AUTH_EMULATOR_HOST = emulator.host;
    svc = await createTestService({
      name: 'api-key',
      routes,
      envOverrides: { AUTH_MODE: 'firebase', GCP_PROJECT_ID: PROJECT, FIREBASE_AUTH_EMULATOR_HOST: emulator.host },
    });
  }, 120_000);

  afterAll(async () => {
    await svc?.close();
    await emulator?.stop();
    if (previousHost === undefined) delete process.env.FIREBASE_AUTH_EMULATOR_HOST;
    else process.env.FIREBASE_AUTH_EMULATOR_HOST = previousHost;
  }, 30_000);

  it('a valid ID token reaches the route as that user', async () => {
    const { idToken, localId } = await signIn('signUp', 'ada@example.com');
    const res = await whoami(idToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'user', uid: localId, plan: 'free', email: 'ada@example.com' });
  });

  it('a garbage token is 401 in the one error shape', async () => {
    const res = await whoami('not-a-firebase-token');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: {
        code: 'unauthenticated',
        message: expect.stringContaining('sign in again'),
        requestId: expect.any(String),
      },
    });
  });

  it('the plan custom claim becomes the caller plan', async () => {
    const { localId } = await signIn('signUp', 'grace@example.com');
    await getAuth(firebaseApp(svc.ctx.env)).setCustomUserClaims(localId, { plan: 'pro' });
    const { idToken } = await signIn('signInWithPassword', 'grace@example.com');
    const res = await whoami(idToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uid: localId, plan: 'pro' });
  });

  it('a token issued before its refresh tokens were revoked is 401', async () => {
    const { idToken, localId } = await signIn('signUp', 'mallory@example.com');
    expect((await whoami(idToken)).status).toBe(200);
    // Revocation has 1 s resolution: a token from the same second would still count as valid.
    await sleep(1100);
    await getAuth(firebaseApp(svc.ctx.env)).revokeRefreshTokens(localId);
    const res = await whoami(idToken);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });
});

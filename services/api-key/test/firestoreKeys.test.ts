import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type DocStore, openFirestoreDocStore } from '@storyreel/shared';
import { type FirestoreEmulator, startFirestoreEmulator } from '@storyreel/shared/testing';
import { type App, deleteApp, initializeApp } from 'firebase-admin/app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localKek } from '../src/kek/localKek.js';
import { keysByKekVersion, rewrapStaleKeys } from '../src/kekRotation.js';
import { listKeys, revealKey, storeKey } from '../src/keyStore.js';

// The stored-key queries (by owner, by KEK version on a nested field) as production runs them, on the official emulator.
let emulator: FirestoreEmulator | undefined;
let app: App | undefined;
let docs: DocStore;
let dir: string;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  app = initializeApp({ projectId: `demo-keys-${randomUUID().slice(0, 8)}` }, `keys-${randomUUID()}`);
  docs = openFirestoreDocStore({ app });
  dir = await mkdtemp(join(tmpdir(), 'kek-firestore-'));
}, 90_000);

afterAll(async () => {
  await docs?.close();
  if (app) await deleteApp(app);
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('stored keys on Firestore', () => {
  it('lists by owner, and re-wraps only the records of older KEK versions', async () => {
    const kek = localKek(join(dir, 'kek.json'));
    const deps = { docs, kek, logger: createLogger('api-key', 'silent') };
    const at = new Date();
    const key = (n: number) => `sk_${String(n).repeat(48).slice(0, 48)}`;
    await storeKey(deps, { uid: 'ann', provider: 'elevenlabs', apiKey: key(1), status: 'verified', at });
    await storeKey(deps, { uid: 'ann', provider: 'gemini', apiKey: key(2), status: 'verified', at });
    await storeKey(deps, { uid: 'ben', provider: 'elevenlabs', apiKey: key(3), status: 'verified', at });
    expect((await listKeys(docs, 'ann')).map((k) => k.provider)).toEqual(['elevenlabs', 'gemini']);

    await kek.rotate();
    await storeKey(deps, { uid: 'cat', provider: 'fal', apiKey: key(4), status: 'verified', at });
    expect(await keysByKekVersion(docs)).toEqual({ 'local-1': 3, 'local-2': 1 });

    const report = await rewrapStaleKeys(deps, { batchSize: 2 });
    expect(report).toEqual({ kekVersion: 'local-2', rewrapped: 3, skipped: 0, failed: 0 });
    expect(await keysByKekVersion(docs)).toEqual({ 'local-2': 4 });
    expect(await revealKey(deps, 'ben', 'elevenlabs')).toBe(key(3));
    expect(await revealKey(deps, 'ann', 'gemini')).toBe(key(2));
  });
});

import { randomUUID } from 'node:crypto';
import { type App, deleteApp, initializeApp } from 'firebase-admin/app';
import { afterAll, beforeAll } from 'vitest';
import { openFirestoreDocStore } from '../../src/docs/firestoreDocStore.js';
import { type FirestoreEmulator, startFirestoreEmulator } from '../../src/testing/firestoreEmulator.js';
import { docStoreContract } from './docStoreContract.js';

// The official emulator: it isolates transactions like production does, which the contention test needs.
let emulator: FirestoreEmulator | undefined;
const apps: App[] = [];
const projectId = `demo-docs-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
  // firebase-admin reads this when it builds its first Firestore client.
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
}, 90_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => deleteApp(app)));
  await emulator?.stop();
});

docStoreContract('firestore', {
  open: async () => {
    const app = initializeApp({ projectId }, `docs-${apps.length}-${randomUUID()}`);
    apps.push(app);
    return openFirestoreDocStore({ app });
  },
  contentionTimeoutMs: 60_000,
});

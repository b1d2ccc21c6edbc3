import type { Env } from '@storyreel/config';
import type { App } from 'firebase-admin/app';
import { firebaseApp } from '../firebaseApp.js';
import { openFirestoreDocStore } from './firestoreDocStore.js';
import type { DocStore } from './port.js';
import { openSqliteDocStore } from './sqliteDocStore.js';

/** The DocStore the config asks for: the embedded SQLite file offline, Firestore otherwise. */
export function createDocStore(env: Env, options: { app?: App } = {}): DocStore {
  if (env.DOC_BACKEND === 'sqlite') return openSqliteDocStore({ path: env.DOC_SQLITE_PATH });
  // firebase-admin reads the emulator address from process.env when it builds the client,
  // so a value given only in the parsed config is passed on there.
  if (env.FIRESTORE_EMULATOR_HOST) process.env.FIRESTORE_EMULATOR_HOST = env.FIRESTORE_EMULATOR_HOST;
  return openFirestoreDocStore({ app: options.app ?? firebaseApp(env) });
}

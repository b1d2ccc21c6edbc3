import type { Env } from '@storyreel/config';
import { type App, getApps, initializeApp } from 'firebase-admin/app';

/** One firebase-admin app per process, for the project in the config. */
export function firebaseApp(env: Env): App {
  const name = `storyreel-${env.GCP_PROJECT_ID}`;
  return getApps().find((a) => a.name === name) ?? initializeApp({ projectId: env.GCP_PROJECT_ID }, name);
}

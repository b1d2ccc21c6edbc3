import { createLogger, openFirestoreDocStore } from '@storyreel/shared';
import { getApps, initializeApp } from 'firebase-admin/app';
import { onRequest } from 'firebase-functions/v2/https';
import { functionEnv } from './functionEnv.js';
import { createShareHandler } from './shareHandler.js';

let handler: ReturnType<typeof createShareHandler> | undefined;

// Built on the first request, not at import: the deploy step imports this module to read the function list.
function shareHandler(): ReturnType<typeof createShareHandler> {
  if (!handler) {
    const env = functionEnv(process.env);
    // The Functions runtime (and its emulator) describes the project in FIREBASE_CONFIG.
    const app = getApps()[0] ?? initializeApp();
    handler = createShareHandler(env, openFirestoreDocStore({ app }), {
      logger: createLogger('share', env.LOG_LEVEL),
    });
  }
  return handler;
}

/** `/share/**` on Firebase Hosting (firebase.json rewrites it here, in us-central1). */
export const share = onRequest({ region: 'us-central1', memory: '256MiB', maxInstances: 20 }, (req, res) => {
  // Hosting passes the whole path (/share/<id>); the function's own URL passes only what follows its name.
  if (!req.url.startsWith('/share/')) req.url = `/share${req.url}`;
  shareHandler()(req, res);
});

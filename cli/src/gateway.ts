import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Env, SERVICES, serviceUrl } from '@storyreel/config';
import { createShareHandler } from '@storyreel/functions/share';
import { type BlobStore, type DocStore, type Logger, serveLocalBlobs } from '@storyreel/shared';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

/**
 * The local stand-in for Firebase Hosting: the same routing as firebase.json
 * (`/api/<service>/**` to each service, `/share/**` to the share handler,
 * the built wizard for everything else), plus the signed blob URLs that GCS
 * serves in production.
 */
export function createGateway(
  env: Env,
  stores: { blobs: BlobStore; docs: DocStore },
  frontendDir: string,
  logger: Logger,
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  for (const service of SERVICES) {
    app.use(
      service.pathPrefix,
      createProxyMiddleware({
        target: serviceUrl(env, service.name),
        changeOrigin: false,
        xfwd: true,
        // SSE streams (job progress) must not be buffered.
        proxyTimeout: 0,
      }),
    );
  }
  app.use(serveLocalBlobs(stores.blobs, env));
  // The wizard, built without Firebase config, asks here for the local mesh's App Check debug token
  // (frontend/src/auth/authSettings.ts); Firebase Hosting has no such route.
  app.get('/__/local-app-check.json', (_req, res) => {
    res.set('cache-control', 'no-store').json({ debugToken: env.APP_CHECK_DEBUG_TOKEN ?? '' });
  });
  // The same handler the `share` Firebase Function runs; it answers only under /share.
  app.use(createShareHandler(env, stores.docs, { logger }));
  if (existsSync(join(frontendDir, 'index.html'))) {
    app.use(express.static(frontendDir, { index: 'index.html', maxAge: '1h' }));
    app.get('/{*rest}', (_req, res) => res.sendFile(join(frontendDir, 'index.html')));
  }
  return app;
}

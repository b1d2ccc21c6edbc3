import { rmSync } from 'node:fs';
import type { Env } from '@storyreel/config';
import { createShareHandler } from '@storyreel/functions/share';
import {
  type BlobStore,
  COLLECTIONS,
  contentHash,
  createBlobStore,
  createDocStore,
  createService,
  type DocStore,
  type Service,
  type ServiceOptions,
  serveLocalBlobs,
} from '@storyreel/shared';
import { testEnv } from '@storyreel/shared/testing';
import express from 'express';
import { dtwAligner } from '../../../services/align-captions/src/adapters/dtwAligner.js';
import { alignCaptionsRoutes } from '../../../services/align-captions/src/routes.js';
import { apiKeyRoutes } from '../../../services/api-key/src/routes.js';
import { createIllustrator } from '../../../services/compose/src/adapters/illustrator.js';
import { JOB_LOCKS } from '../../../services/compose/src/jobs/job.js';
import { PUBLICATIONS } from '../../../services/compose/src/publishing/publication.js';
import { composeRoutes } from '../../../services/compose/src/routes.js';
import { musicRoutes } from '../../../services/music/src/routes.js';
import { espeakEngine } from '../../../services/narrate/src/adapters/espeakEngine.js';
import { narrateRoutes } from '../../../services/narrate/src/routes.js';
import { polishRoutes } from '../../../services/polish/src/routes.js';
import { renderRoutes } from '../../../services/render/src/routes.js';
import { uploadRoutes } from '../../../services/upload/src/routes.js';

/**
 * Every service of the mesh in this process, on one data folder (one SQLite
 * file, one blob folder), as on the local mesh: a project compose made is
 * the project upload checks, an object one service wrote is the object
 * render reads. Upload keeps its production SSRF guard (no loopback
 * exception), so SSRF attempts meet the real thing.
 */
export const SERVICE_NAMES = [
  'compose',
  'narrate',
  'align-captions',
  'music',
  'render',
  'upload',
  'polish',
  'api-key',
] as const;
export type MeshServiceName = (typeof SERVICE_NAMES)[number];

export const APP_CHECK_DEBUG_TOKEN = 'hardening-app-check-debug-token-0123456789';

const routesOf: Record<MeshServiceName, ServiceOptions['routes']> = {
  compose: composeRoutes(createIllustrator()),
  narrate: narrateRoutes(espeakEngine()),
  'align-captions': alignCaptionsRoutes(dtwAligner()),
  music: musicRoutes,
  render: renderRoutes,
  upload: (ctx) => uploadRoutes(ctx),
  polish: polishRoutes,
  'api-key': apiKeyRoutes,
};

/** Collections whose documents are users' data; counters, idempotency records and SLI roll-ups change on any request. */
const DATA_COLLECTIONS = [
  COLLECTIONS.users,
  COLLECTIONS.projects,
  COLLECTIONS.jobs,
  COLLECTIONS.renders,
  COLLECTIONS.renderProgress,
  COLLECTIONS.publicMovies,
  COLLECTIONS.apiKeys,
  COLLECTIONS.quotas,
  COLLECTIONS.uploads,
  JOB_LOCKS,
  PUBLICATIONS,
];

export interface WorldSnapshot {
  docs: Record<string, string>;
  blobs: Record<string, number>;
}

export interface HardeningWorld {
  env: Env;
  app(name: MeshServiceName): express.Express;
  /** compose with App Check enforced (as the local mesh and production run it). */
  enforcedCompose: express.Express;
  share: express.Express;
  /** What GCS serves in production: signed and public object URLs (the local gateway mounts the same). */
  objects: express.Express;
  docs: DocStore;
  blobs: BlobStore;
  /** Every stored document (by collection/id, a hash of version and data) and every object with its size. */
  snapshot(): Promise<WorldSnapshot>;
  close(): Promise<void>;
}

export async function startHardeningWorld(): Promise<HardeningWorld> {
  const env = testEnv({ APP_CHECK_DEBUG_TOKEN });
  const services = new Map<MeshServiceName, Service>();
  for (const name of SERVICE_NAMES) {
    services.set(name, createService({ name, env, routes: routesOf[name] }));
  }
  const enforced = createService({
    name: 'compose',
    env: { ...env, APP_CHECK_MODE: 'enforce' },
    routes: routesOf.compose,
  });
  const docs = createDocStore(env);
  const blobs = createBlobStore(env);
  const share = createShareHandler(env, docs);

  const snapshot = async (): Promise<WorldSnapshot> => {
    const snap: WorldSnapshot = { docs: {}, blobs: {} };
    for (const collection of DATA_COLLECTIONS) {
      for (const doc of await docs.query(collection)) {
        snap.docs[`${collection}/${doc.id}`] = contentHash({ version: doc.version, data: doc.data }, 16);
      }
    }
    for (const bucket of [env.MEDIA_BUCKET, env.PUBLIC_BUCKET]) {
      for (const blob of await blobs.list(`gs://${bucket}`)) snap.blobs[blob.path] = blob.size;
    }
    return snap;
  };

  return {
    env,
    app: (name) => (services.get(name) as Service).app,
    enforcedCompose: enforced.app,
    share,
    objects: express().use(serveLocalBlobs(blobs, env)),
    docs,
    blobs,
    snapshot,
    async close() {
      for (const service of [...services.values(), enforced]) await service.close();
      await docs.close();
      rmSync(env.dataDir, { recursive: true, force: true });
    },
  };
}

import { onlyOwnKeys, type ServiceContext } from '@storyreel/shared';
import type { ImageProvider } from '../imageProvider.js';
import { generateMissingImages } from '../sceneImages.js';
import { cloudTasksJobQueue } from './cloudTasksJobQueue.js';
import { httpMeshCalls } from './httpMeshCalls.js';
import type { JobDeps } from './index.js';

/** The movie job wired to the real mesh, compose's own image generation, the configured queue and the user's keys. */
export function movieJobDeps(ctx: ServiceContext, images: ImageProvider): JobDeps {
  const { env } = ctx;
  const ports = { docs: ctx.docs, blobs: ctx.blobs, mediaBucket: ctx.buckets.media, images };
  return {
    calls: httpMeshCalls(ctx),
    generateMissingImages: ({ uid, projectId, signal, onProgress }) =>
      generateMissingImages(ports, uid, projectId, { signal, onProgress }),
    settings: { leaseMs: env.JOB_LEASE_SECONDS * 1000 },
    // Offline no provider key is used at all, so every job counts against the plan.
    ...(env.PROVIDERS === 'cloud' ? { ownKeys: (uid: string) => onlyOwnKeys(ctx.client('api-key'), uid) } : {}),
    ...(env.JOB_QUEUE === 'cloud-tasks'
      ? {
          queue: cloudTasksJobQueue({
            project: env.GCP_PROJECT_ID,
            location: env.GCP_REGION,
            queue: env.CLOUD_TASKS_QUEUE,
            targetUrl: ctx.selfUrl,
            serviceAccountEmail: env.TASKS_SERVICE_ACCOUNT ?? '',
          }),
        }
      : {}),
  };
}

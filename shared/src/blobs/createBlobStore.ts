import { Storage } from '@google-cloud/storage';
import type { Env } from '@storyreel/config';
import { openGcsBlobStore } from './gcsBlobStore.js';
import { openLocalBlobStore } from './localBlobStore.js';
import type { BlobStore } from './port.js';

/** The BlobStore the config asks for: a local folder offline, GCS otherwise. */
export function createBlobStore(env: Env): BlobStore {
  const buckets = { media: env.MEDIA_BUCKET, public: env.PUBLIC_BUCKET };
  if (env.BLOB_BACKEND === 'gcs') {
    return openGcsBlobStore({ storage: new Storage({ projectId: env.GCP_PROJECT_ID }), buckets });
  }
  if (!env.URL_SIGNING_SECRET) throw new Error('URL_SIGNING_SECRET is required when BLOB_BACKEND=local');
  return openLocalBlobStore({
    root: env.BLOB_LOCAL_DIR,
    buckets,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    signingSecret: env.URL_SIGNING_SECRET,
  });
}

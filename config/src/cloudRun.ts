import { SERVICES, type ServiceEntry, type ServiceName } from './services.js';

/**
 * How the mesh is deployed to Cloud Run: the flags of `gcloud run deploy`
 * for each service, derived from the registry so cloudbuild.yaml never
 * repeats a size, an env var or a secret. Cloud Build writes them with
 * writeCloudRunFlags.ts and passes each to gcloud with --flags-file.
 */
export interface Deployment {
  projectId: string;
  /** Cloud Run's deterministic URLs (https://<service>-<number>.<region>.run.app) are built from it. */
  projectNumber: string;
  region: string;
  mediaBucket: string;
  publicBucket: string;
  /** The Hosting origin people reach the app on. */
  publicBaseUrl: string;
  /** projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>: wraps stored user keys. */
  kmsKeyName: string;
}

/** Platform provider keys: the env var each service reads and the Secret Manager secret that holds it. */
export const PLATFORM_KEY_SECRETS = {
  GEMINI_API_KEY: 'gemini-api-key',
  FAL_KEY: 'fal-api-key',
  ELEVENLABS_API_KEY: 'elevenlabs-api-key',
  GOOGLE_CLOUD_API_KEY: 'google-cloud-api-key',
} as const;

export type PlatformKeyVar = keyof typeof PLATFORM_KEY_SECRETS;

/** Which platform keys a service may read: each service account gets access to these secrets only. */
export const SERVICE_PLATFORM_KEYS: Record<ServiceName, readonly PlatformKeyVar[]> = {
  upload: [],
  compose: ['GEMINI_API_KEY', 'FAL_KEY'],
  narrate: ['ELEVENLABS_API_KEY', 'GOOGLE_CLOUD_API_KEY'],
  'align-captions': ['GOOGLE_CLOUD_API_KEY'],
  music: ['ELEVENLABS_API_KEY'],
  render: [],
  polish: ['FAL_KEY'],
  'api-key': [],
};

/** The Cloud Tasks queue movie jobs go through, and the account its OIDC tokens are minted for. */
export const MOVIE_JOB_QUEUE = 'movie-jobs';
export const TASKS_ACCOUNT_ID = 'storyreel-tasks';

/** The port Cloud Run sends requests to (it also sets PORT to it). */
export const CONTAINER_PORT = 8080;

/**
 * One service account per service, named so the mesh can tell callers apart:
 * googleMeshTokens reads the service name back from the token's email.
 */
export function serviceAccountEmail(accountId: string, projectId: string): string {
  return `${accountId}@${projectId}.iam.gserviceaccount.com`;
}

export function serviceAccountOf(entry: ServiceEntry, projectId: string): string {
  return serviceAccountEmail(entry.cloudRunName, projectId);
}

/** Cloud Run's deterministic service URL, known before the first deploy. */
export function cloudRunUrl(entry: ServiceEntry, d: Deployment): string {
  return `https://${entry.cloudRunName}-${d.projectNumber}.${d.region}.run.app`;
}

/** The environment a service runs with in production (validated by envSchema before any deploy). */
export function productionEnv(entry: ServiceEntry, d: Deployment): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    GCP_PROJECT_ID: d.projectId,
    GCP_REGION: d.region,
    MEDIA_BUCKET: d.mediaBucket,
    PUBLIC_BUCKET: d.publicBucket,
    PUBLIC_BASE_URL: d.publicBaseUrl,
    BLOB_BACKEND: 'gcs',
    DOC_BACKEND: 'firestore',
    PROVIDERS: 'cloud',
    AUTH_MODE: 'firebase',
    APP_CHECK_MODE: 'enforce',
    MESH_AUTH: 'google',
    SERVICE_URLS: JSON.stringify(Object.fromEntries(SERVICES.map((s) => [s.name, cloudRunUrl(s, d)]))),
    // envSchema asks every service for it in production, though only api-key uses it.
    KMS_KEY_NAME: d.kmsKeyName,
  };
  if (entry.name === 'compose') {
    // Cloud Tasks pushes each job to compose's internal route; no instance polls.
    Object.assign(env, {
      JOB_QUEUE: 'cloud-tasks',
      JOB_WORKER: 'off',
      CLOUD_TASKS_QUEUE: MOVIE_JOB_QUEUE,
      TASKS_SERVICE_ACCOUNT: serviceAccountEmail(TASKS_ACCOUNT_ID, d.projectId),
    });
  }
  return env;
}

/**
 * The `gcloud run deploy` flags of one service, in the --flags-file format
 * (a boolean flag is a key with a null value). The image is given on the
 * command line, since only the build knows its tag.
 */
export function cloudRunFlags(entry: ServiceEntry, d: Deployment): Record<string, unknown> {
  const r = entry.resources;
  const keys = SERVICE_PLATFORM_KEYS[entry.name];
  return {
    '--region': d.region,
    '--service-account': serviceAccountOf(entry, d.projectId),
    '--cpu': String(r.cpu),
    '--memory': r.memory,
    '--concurrency': r.concurrency,
    '--timeout': `${r.timeoutSeconds}s`,
    '--min-instances': r.minInstances,
    '--max-instances': r.maxInstances,
    '--port': CONTAINER_PORT,
    // gen2: full Linux syscalls and faster CPUs for FFmpeg; startup boost shortens cold starts.
    '--execution-environment': 'gen2',
    '--cpu-boost': null,
    // Hosting rewrites reach Cloud Run as anonymous callers: each route checks Firebase/App Check/mesh tokens itself.
    '--allow-unauthenticated': null,
    '--ingress': 'all',
    '--labels': { app: 'storyreel', service: entry.name },
    '--set-env-vars': productionEnv(entry, d),
    ...(keys.length > 0
      ? { '--set-secrets': Object.fromEntries(keys.map((k) => [k, `${PLATFORM_KEY_SECRETS[k]}:latest`])) }
      : { '--clear-secrets': null }),
  };
}

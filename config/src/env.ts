import { z } from 'zod';
import { SERVICE_NAMES, type ServiceName, serviceEntry } from './services.js';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Every environment variable any service reads. Defaults are the offline,
 * embedded ones, so a bare `npm start` runs with no account and no network.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    GCP_PROJECT_ID: z
      .string()
      .regex(/^[a-z][a-z0-9-]{4,29}$/, 'a GCP project id')
      .default('demo-storyreel'),
    GCP_REGION: z
      .string()
      .regex(/^[a-z]+-[a-z]+\d$/, 'a GCP region like us-central1')
      .default('us-central1'),
    MEDIA_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{2,62}$/, 'a bucket name')
      .default('storyreel-media'),
    PUBLIC_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{2,62}$/, 'a bucket name')
      .default('storyreel-public'),
    /** Where people reach the app: the gateway locally, the Hosting domain in production. */
    PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:8080'),

    BLOB_BACKEND: z.enum(['local', 'gcs']).default('local'),
    BLOB_LOCAL_DIR: z.string().min(1).default('.data/blobs'),
    DOC_BACKEND: z.enum(['sqlite', 'firestore']).default('sqlite'),
    DOC_SQLITE_PATH: z.string().min(1).default('.data/storyreel.db'),
    PROVIDERS: z.enum(['offline', 'cloud']).default('offline'),
    /** With PROVIDERS=cloud: who draws scene images (Gemini's image model, or a fal model). */
    CLOUD_IMAGE_PROVIDER: z.enum(['gemini', 'fal']).default('gemini'),
    /** With PROVIDERS=cloud: who speaks narration (both give word timings, so captions need no alignment pass). */
    CLOUD_SPEECH_PROVIDER: z.enum(['elevenlabs', 'google']).default('elevenlabs'),

    AUTH_MODE: z.enum(['firebase', 'dev']).default('dev'),
    APP_CHECK_MODE: z.enum(['enforce', 'monitor', 'off']).default('monitor'),
    APP_CHECK_DEBUG_TOKEN: z.string().min(16).optional(),
    /** google: Cloud Run ID tokens; hmac: tokens signed with MESH_SECRET (local mesh). */
    MESH_AUTH: z.enum(['google', 'hmac']).default('hmac'),
    MESH_SECRET: z.string().min(32, 'at least 32 characters').optional(),
    /** Signs local blob URLs; GCS signs its own in production. */
    URL_SIGNING_SECRET: z.string().min(32, 'at least 32 characters').optional(),
    /** JSON map of service name to base URL; defaults to the local registry ports. */
    SERVICE_URLS: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (!s) return {} as Partial<Record<ServiceName, string>>;
        try {
          return z.partialRecord(z.enum(SERVICE_NAMES), z.url()).parse(JSON.parse(s)) as Partial<
            Record<ServiceName, string>
          >;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'a JSON object of service name to URL' });
          return z.NEVER;
        }
      }),
    /**
     * Proxies in front of a service whose X-Forwarded-For entries we believe
     * (Cloud Run's front end; Hosting adds one). Anything further left is the
     * client's own claim and must not pick its rate-limit bucket.
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(1),
    FIRESTORE_EMULATOR_HOST: z.string().optional(),
    FIREBASE_AUTH_EMULATOR_HOST: z.string().optional(),
    /**
     * Platform provider keys, used when a user has none of their own (Secret
     * Manager mounts them as env vars on Cloud Run). Unset: that provider is
     * not configured and its offline adapter (or a 503) stands in.
     */
    GEMINI_API_KEY: z.string().min(1).optional(),
    FAL_KEY: z.string().min(1).optional(),
    ELEVENLABS_API_KEY: z.string().min(1).optional(),
    GOOGLE_CLOUD_API_KEY: z.string().min(1).optional(),
    /** The local key-encryption key of stored user keys (mode 0600, under the git-ignored .data/). */
    KEK_FILE: z.string().default('.data/kek.json'),
    /** Cloud KMS key (projects/.../cryptoKeys/...) wrapping stored user keys in production. */
    KMS_KEY_NAME: z.string().optional(),
    /** How long a movie job's worker holds it without a heartbeat before another may resume it. */
    JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
    /** in-process: compose polls for jobs itself; off: only separate workers (or Cloud Tasks) run them. */
    JOB_WORKER: z.enum(['in-process', 'off']).default('in-process'),
    JOB_QUEUE: z.enum(['polling', 'cloud-tasks']).default('polling'),
    CLOUD_TASKS_QUEUE: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,100}$/)
      .default('movie-jobs'),
    /** The account Cloud Tasks mints OIDC tokens for when it pushes jobs to compose. */
    TASKS_SERVICE_ACCOUNT: z.email().optional(),
    RATE_LIMITS_ENABLED: bool.default(true),
    FFMPEG_PATH: z.string().default('ffmpeg'),
    FFPROBE_PATH: z.string().default('ffprobe'),
    SOUNDFONT_PATH: z.string().default('/usr/share/sounds/sf3/MuseScore_General_Lite.sf3'),
  })
  .superRefine((env, ctx) => {
    const prod = env.NODE_ENV === 'production';
    if (prod && env.AUTH_MODE === 'dev') {
      ctx.addIssue({ code: 'custom', path: ['AUTH_MODE'], message: 'dev auth is refused when NODE_ENV=production' });
    }
    if (prod && env.APP_CHECK_MODE === 'off') {
      ctx.addIssue({ code: 'custom', path: ['APP_CHECK_MODE'], message: 'off is refused when NODE_ENV=production' });
    }
    if (prod && env.APP_CHECK_DEBUG_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['APP_CHECK_DEBUG_TOKEN'],
        message: 'debug tokens are refused when NODE_ENV=production',
      });
    }
    if (env.MESH_AUTH === 'hmac' && !env.MESH_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['MESH_SECRET'], message: 'required when MESH_AUTH=hmac' });
    }
    if (prod && env.MESH_AUTH === 'hmac') {
      ctx.addIssue({
        code: 'custom',
        path: ['MESH_AUTH'],
        message: 'hmac mesh tokens are refused when NODE_ENV=production',
      });
    }
    if (env.BLOB_BACKEND === 'local' && !env.URL_SIGNING_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['URL_SIGNING_SECRET'], message: 'required when BLOB_BACKEND=local' });
    }
    if (env.MEDIA_BUCKET === env.PUBLIC_BUCKET) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_BUCKET'], message: 'must differ from MEDIA_BUCKET' });
    }
    if (env.JOB_QUEUE === 'cloud-tasks' && !env.TASKS_SERVICE_ACCOUNT) {
      ctx.addIssue({ code: 'custom', path: ['TASKS_SERVICE_ACCOUNT'], message: 'required when JOB_QUEUE=cloud-tasks' });
    }
    if (prod && env.BLOB_BACKEND === 'gcs' && env.KMS_KEY_NAME === undefined) {
      ctx.addIssue({ code: 'custom', path: ['KMS_KEY_NAME'], message: 'required in production' });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError naming every bad or missing variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const given = issue.path.length ? source[String(issue.path[0])] : undefined;
    return `${name}: ${issue.message}${given === undefined ? ' (not set)' : ''}`;
  });
  throw new ConfigError(problems);
}

/**
 * Loads the config at start-up: a bad environment ends the process with a
 * message naming each bad value, before anything listens.
 */
export function loadEnvOrExit(source: NodeJS.ProcessEnv = process.env): Env {
  try {
    return parseEnv(source);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** Base URL of a service: SERVICE_URLS when given, else its local registry port. */
export function serviceUrl(env: Env, name: ServiceName): string {
  return env.SERVICE_URLS[name] ?? `http://127.0.0.1:${serviceEntry(name).localPort}`;
}

import { describe, expect, it } from 'vitest';
import {
  cloudRunFlags,
  cloudRunUrl,
  type Deployment,
  PLATFORM_KEY_SECRETS,
  productionEnv,
  SERVICE_PLATFORM_KEYS,
  serviceAccountOf,
} from '../src/cloudRun.js';
import { ConfigError, envSchema, parseEnv } from '../src/env.js';
import { SERVICES, serviceEntry } from '../src/services.js';

const deployment: Deployment = {
  projectId: 'storyreel-prod',
  projectNumber: '123456789012',
  region: 'europe-west1',
  mediaBucket: 'storyreel-prod-storyreel-media',
  publicBucket: 'storyreel-prod-storyreel-public',
  publicBaseUrl: 'https://storyreel-prod.web.app',
  kmsKeyName: 'projects/storyreel-prod/locations/europe-west1/keyRings/storyreel/cryptoKeys/user-provider-keys',
};

describe('the production env of each service', () => {
  it.each(SERVICES.map((s) => [s.name, s]))('passes the env schema %s validates at start', (_name, entry) => {
    const env = parseEnv(productionEnv(entry, deployment));
    expect(env).toMatchObject({
      NODE_ENV: 'production',
      BLOB_BACKEND: 'gcs',
      DOC_BACKEND: 'firestore',
      AUTH_MODE: 'firebase',
      MESH_AUTH: 'google',
      APP_CHECK_MODE: 'enforce',
      PROVIDERS: 'cloud',
      GCP_PROJECT_ID: 'storyreel-prod',
      GCP_REGION: 'europe-west1',
    });
  });

  it('gives every service the Cloud Run URL of every other (the audience of its mesh tokens)', () => {
    const env = parseEnv(productionEnv(serviceEntry('render'), deployment));
    expect(Object.keys(env.SERVICE_URLS).sort()).toEqual(SERVICES.map((s) => s.name).sort());
    expect(env.SERVICE_URLS.compose).toBe('https://storyreel-compose-123456789012.europe-west1.run.app');
    expect(cloudRunUrl(serviceEntry('api-key'), deployment)).toBe(
      'https://storyreel-api-key-123456789012.europe-west1.run.app',
    );
  });

  it('runs movie jobs through Cloud Tasks on compose only, with no polling worker', () => {
    const compose = parseEnv(productionEnv(serviceEntry('compose'), deployment));
    expect(compose).toMatchObject({
      JOB_QUEUE: 'cloud-tasks',
      JOB_WORKER: 'off',
      CLOUD_TASKS_QUEUE: 'movie-jobs',
      TASKS_SERVICE_ACCOUNT: 'storyreel-tasks@storyreel-prod.iam.gserviceaccount.com',
    });
    expect(productionEnv(serviceEntry('render'), deployment)).not.toHaveProperty('JOB_QUEUE');
  });

  it('is refused by the schema when the deployment is wrong, so the build stops before deploying', () => {
    const same = { ...deployment, publicBucket: deployment.mediaBucket };
    expect(() => parseEnv(productionEnv(serviceEntry('compose'), same))).toThrow(ConfigError);
    const badRegion = { ...deployment, region: 'Europe West' };
    expect(() => parseEnv(productionEnv(serviceEntry('compose'), badRegion))).toThrow(/GCP_REGION/);
  });
});

describe('the Cloud Run flags of each service', () => {
  it.each(SERVICES.map((s) => [s.name, s]))('size %s as the registry says', (_name, entry) => {
    const flags = cloudRunFlags(entry, deployment);
    expect(flags).toMatchObject({
      '--region': 'europe-west1',
      '--cpu': String(entry.resources.cpu),
      '--memory': entry.resources.memory,
      '--concurrency': entry.resources.concurrency,
      '--timeout': `${entry.resources.timeoutSeconds}s`,
      '--min-instances': entry.resources.minInstances,
      '--max-instances': entry.resources.maxInstances,
      '--port': 8080,
    });
    expect(flags['--set-env-vars']).toEqual(productionEnv(entry, deployment));
  });

  it('gives render and polish the most CPU and memory and one movie per instance', () => {
    const compose = serviceEntry('compose').resources;
    for (const name of ['render', 'polish'] as const) {
      const r = serviceEntry(name).resources;
      expect(r.cpu).toBeGreaterThan(compose.cpu);
      expect(Number.parseInt(r.memory, 10)).toBeGreaterThanOrEqual(4);
      expect(r.concurrency).toBe(1);
    }
    for (const name of ['narrate', 'music'] as const) {
      expect(serviceEntry(name).resources.concurrency).toBeLessThan(compose.concurrency);
    }
  });

  it('runs each service as its own account, named so the mesh reads the caller back from the token', () => {
    const accounts = SERVICES.map((s) => serviceAccountOf(s, deployment.projectId));
    expect(new Set(accounts).size).toBe(SERVICES.length);
    for (const [i, entry] of SERVICES.entries()) {
      expect(cloudRunFlags(entry, deployment)['--service-account']).toBe(accounts[i]);
      const accountId = accounts[i]!.split('@')[0]!;
      // shared/src/auth/meshToken.ts: email.split('@')[0] without 'storyreel-' is the caller's name.
      expect(accountId.replace(/^storyreel-/, '')).toBe(entry.name);
      // Service account ids are 6-30 characters.
      expect(accountId.length).toBeLessThanOrEqual(30);
    }
  });

  it('hands platform keys over as Secret Manager references, each only to the services that call that provider', () => {
    const schemaKeys = Object.keys(envSchema.shape);
    for (const entry of SERVICES) {
      const flags = cloudRunFlags(entry, deployment);
      const secrets = (flags['--set-secrets'] ?? {}) as Record<string, string>;
      expect(Object.keys(secrets).sort()).toEqual([...SERVICE_PLATFORM_KEYS[entry.name]].sort());
      for (const [name, ref] of Object.entries(secrets)) {
        expect(schemaKeys).toContain(name);
        expect(ref).toBe(`${PLATFORM_KEY_SECRETS[name as keyof typeof PLATFORM_KEY_SECRETS]}:latest`);
      }
      // A service without keys drops any a previous revision had.
      if (Object.keys(secrets).length === 0) expect(flags).toHaveProperty('--clear-secrets', null);
      // No key value ever travels as a plain env var.
      const env = flags['--set-env-vars'] as Record<string, string>;
      for (const key of Object.keys(PLATFORM_KEY_SECRETS)) expect(env).not.toHaveProperty(key);
    }
    expect(SERVICE_PLATFORM_KEYS.render).toEqual([]);
    expect(SERVICE_PLATFORM_KEYS['api-key']).toEqual([]);
  });
});

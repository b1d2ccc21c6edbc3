import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cloudRunFlags, type Deployment, productionEnv } from './cloudRun.js';
import { ConfigError, parseEnv } from './env.js';
import { SERVICES } from './services.js';

/**
 * Cloud Build's step before the deploys: writes <out>/<service>.json, the
 * --flags-file of each service's `gcloud run deploy`. Each service's
 * production env is checked by the same schema the service checks at start,
 * so a bad bucket name or a refused mode stops the build, not the service.
 *   node config/dist/writeCloudRunFlags.js --out=DIR --project=ID --project-number=N --region=R \
 *     --media-bucket=B --public-bucket=B --public-base-url=URL --kms-key=NAME
 */
const OPTIONS: Record<string, keyof Deployment | 'out'> = {
  out: 'out',
  project: 'projectId',
  'project-number': 'projectNumber',
  region: 'region',
  'media-bucket': 'mediaBucket',
  'public-bucket': 'publicBucket',
  'public-base-url': 'publicBaseUrl',
  'kms-key': 'kmsKeyName',
};

const { values } = parseArgs({
  options: Object.fromEntries(Object.keys(OPTIONS).map((flag) => [flag, { type: 'string' as const }])),
});
const missing = Object.keys(OPTIONS).filter((flag) => !values[flag]);
if (missing.length > 0) {
  process.stderr.write(`writeCloudRunFlags: missing ${missing.map((m) => `--${m}`).join(', ')}\n`);
  process.exit(2);
}
const given = Object.fromEntries(Object.entries(OPTIONS).map(([flag, key]) => [key, String(values[flag])]));
const { out, ...deployment } = given as unknown as Deployment & { out: string };

mkdirSync(out, { recursive: true });
for (const entry of SERVICES) {
  try {
    parseEnv(productionEnv(entry, deployment));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`writeCloudRunFlags: ${entry.name}: ${err.message}\n`);
    process.exit(78);
  }
  writeFileSync(join(out, `${entry.name}.json`), `${JSON.stringify(cloudRunFlags(entry, deployment), null, 2)}\n`);
}
process.stdout.write(`wrote the Cloud Run flags of ${SERVICES.map((s) => s.name).join(', ')} to ${out}\n`);

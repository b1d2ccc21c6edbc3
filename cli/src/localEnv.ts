import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_PORT } from '@storyreel/config';

interface LocalSecrets {
  meshSecret: string;
  urlSigningSecret: string;
}

/** Secrets of this machine's mesh: made on first run, kept in .data/ (git-ignored), never committed. */
function localSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, 'local-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  const secrets = {
    meshSecret: randomBytes(32).toString('base64url'),
    urlSigningSecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** The environment every process of the local mesh runs with: offline adapters, dev auth, one data folder. */
export function localMeshEnv(dataDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const secrets = localSecrets(dataDir);
  return {
    ...base,
    NODE_ENV: 'development',
    LOG_LEVEL: base.LOG_LEVEL ?? 'info',
    AUTH_MODE: 'dev',
    APP_CHECK_MODE: 'monitor',
    MESH_AUTH: 'hmac',
    MESH_SECRET: secrets.meshSecret,
    URL_SIGNING_SECRET: secrets.urlSigningSecret,
    BLOB_BACKEND: 'local',
    BLOB_LOCAL_DIR: join(dataDir, 'blobs'),
    DOC_BACKEND: 'sqlite',
    DOC_SQLITE_PATH: join(dataDir, 'storyreel.db'),
    KEK_FILE: join(dataDir, 'kek.json'),
    PROVIDERS: 'offline',
    PUBLIC_BASE_URL: base.PUBLIC_BASE_URL ?? `http://127.0.0.1:${GATEWAY_PORT}`,
    METADATA_SERVER_DETECTION: 'none',
  };
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_PORT } from '@storyreel/config';

interface LocalSecrets {
  meshSecret: string;
  urlSigningSecret: string;
  /** What a browser's App Check debug provider sends locally; the services accept it in place of a real token. */
  appCheckDebugToken: string;
}

/** Secrets of this machine's mesh: made on first run, kept in .data/ (git-ignored), never committed. */
function localSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, 'local-secrets.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {};
  const secrets: LocalSecrets = {
    meshSecret: stored.meshSecret ?? randomBytes(32).toString('base64url'),
    urlSigningSecret: stored.urlSigningSecret ?? randomBytes(32).toString('base64url'),
    appCheckDebugToken: stored.appCheckDebugToken ?? randomBytes(24).toString('base64url'),
  };
  if (stored.appCheckDebugToken) return secrets;
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
    // Enforced locally too, so the demo exercises App Check the way production does (with a debug token).
    APP_CHECK_MODE: 'enforce',
    APP_CHECK_DEBUG_TOKEN: secrets.appCheckDebugToken,
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

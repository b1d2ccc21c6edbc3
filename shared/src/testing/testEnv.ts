import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Env, parseEnv } from '@storyreel/config';

export const TEST_MESH_SECRET = 'test-mesh-secret-that-is-long-enough-0123456789';
export const TEST_SIGNING_SECRET = 'test-url-signing-secret-long-enough-0123456789';

/** An offline environment rooted in a fresh temp folder, with overrides. */
export function testEnv(overrides: Record<string, string> = {}): Env & { dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'storyreel-test-'));
  const env = parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUTH_MODE: 'dev',
    APP_CHECK_MODE: 'monitor',
    MESH_AUTH: 'hmac',
    MESH_SECRET: TEST_MESH_SECRET,
    URL_SIGNING_SECRET: TEST_SIGNING_SECRET,
    BLOB_LOCAL_DIR: join(dataDir, 'blobs'),
    DOC_SQLITE_PATH: join(dataDir, 'docs.db'),
    KEK_FILE: join(dataDir, 'kek.json'),
    ...overrides,
  });
  return { ...env, dataDir };
}

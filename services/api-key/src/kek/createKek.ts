import type { Env } from '@storyreel/config';
import { cloudKmsKek } from './cloudKmsKek.js';
import { localKek } from './localKek.js';
import type { KeyEncryptionKey } from './port.js';

/** Cloud KMS when a key is configured (required in production by config), else the local key file. */
export function createKek(env: Pick<Env, 'KMS_KEY_NAME' | 'KEK_FILE'>): KeyEncryptionKey {
  return env.KMS_KEY_NAME ? cloudKmsKek(env.KMS_KEY_NAME) : localKek(env.KEK_FILE);
}

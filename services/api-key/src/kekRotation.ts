import { setImmediate as yieldToReads } from 'node:timers/promises';
import { COLLECTIONS, type DocStore, isAppError, type Logger } from '@storyreel/shared';
import { rewrap } from './envelope.js';
import type { KeyEncryptionKey } from './kek/port.js';
import { type StoredKey, sealContext } from './keyStore.js';

export interface RewrapReport {
  kekVersion: string;
  rewrapped: number;
  /** Deleted, or replaced (so already under the current version), while we worked. */
  skipped: number;
  failed: number;
}

const DEFAULT_BATCH = 50;

/** How many stored keys each KEK version wraps. */
export async function keysByKekVersion(docs: DocStore): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const doc of await docs.query<StoredKey>(COLLECTIONS.apiKeys)) {
    const version = doc.data.sealed.kekVersion;
    counts[version] = (counts[version] ?? 0) + 1;
  }
  return counts;
}

/** Tries per record: a record written meanwhile (used, replaced) is read again and re-wrapped. */
const ATTEMPTS = 3;

type RewrapDeps = { docs: DocStore; kek: KeyEncryptionKey; logger: Logger };

/** Re-wraps one record unless it is gone or already current; each write only if the record did not change since read. */
async function rewrapRecord(deps: RewrapDeps, id: string, kekVersion: string): Promise<'rewrapped' | 'skipped'> {
  for (let attempt = 1; ; attempt++) {
    const doc = await deps.docs.get<StoredKey>(COLLECTIONS.apiKeys, id);
    if (!doc || doc.data.sealed.kekVersion === kekVersion) return 'skipped';
    const { uid, provider, sealed } = doc.data;
    const fresh = await rewrap(deps.kek, sealed, sealContext(uid, provider));
    try {
      await deps.docs.set<StoredKey>(
        COLLECTIONS.apiKeys,
        id,
        { ...doc.data, sealed: fresh },
        { expectedVersion: doc.version },
      );
      return 'rewrapped';
    } catch (err) {
      if (!(isAppError(err) && err.code === 'conflict') || attempt >= ATTEMPTS) throw err;
    }
  }
}

/**
 * Re-wraps every data key not under the KEK's current version, in batches.
 * Nothing is locked: a read meanwhile unwraps with the version its record
 * names, which the KEK keeps, so keys stay readable throughout; a record a
 * user replaces meanwhile is already under the current version and is left
 * alone. Safe to run again (after a crash, or at start-up to finish an
 * interrupted rotation). Retire an old KEK version only once
 * `keysByKekVersion` shows no record under it.
 */
export async function rewrapStaleKeys(deps: RewrapDeps, options: { batchSize?: number } = {}): Promise<RewrapReport> {
  const kekVersion = await deps.kek.currentVersion();
  const stale = await deps.docs.query<StoredKey>(COLLECTIONS.apiKeys, {
    where: [['sealed.kekVersion', '!=', kekVersion]],
  });
  const report: RewrapReport = { kekVersion, rewrapped: 0, skipped: 0, failed: 0 };
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  for (let i = 0; i < stale.length; i += batchSize) {
    for (const { id } of stale.slice(i, i + batchSize)) {
      try {
        report[await rewrapRecord(deps, id, kekVersion)]++;
      } catch (err) {
        report.failed++;
        deps.logger.error({ keyId: id, err: (err as Error).message }, 'could not re-wrap a stored key');
      }
    }
    await yieldToReads();
  }
  return report;
}

/** Makes a new KEK version current and re-wraps stored keys in the background. */
export async function rotateKek(
  deps: RewrapDeps,
  options: { batchSize?: number } = {},
): Promise<{ kekVersion: string; done: Promise<RewrapReport> }> {
  const kekVersion = await deps.kek.rotate();
  deps.logger.info({ kekVersion }, 'KEK rotated; re-wrapping stored keys');
  const done = rewrapStaleKeys(deps, options).then((report) => {
    deps.logger.info({ ...report }, 'stored keys re-wrapped');
    return report;
  });
  return { kekVersion, done };
}

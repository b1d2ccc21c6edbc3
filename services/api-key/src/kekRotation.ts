import { setImmediate as yieldToReads } from 'node:timers/promises';
import { COLLECTIONS, type DocStore, isAppError, type Logger } from '@storyreel/shared';
import { rewrap } from './envelope.js';
import type { KeyEncryptionKey } from './kek/port.js';
import { type StoredKey, sealContext } from './keyStore.js';

export interface RewrapReport {
  kekVersion: string;
  rewrapped: number;
  /** Replaced or deleted while we worked: the new record is already under the current version. */
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

/**
 * Re-wraps every data key not under the KEK's current version, in batches,
 * each record written only if it did not change since it was read. Nothing is
 * locked: a read meanwhile unwraps with the version its record names, which
 * the KEK keeps, so keys stay readable throughout. Safe to run again (after a
 * crash, or at start-up to finish an interrupted rotation).
 */
export async function rewrapStaleKeys(
  deps: { docs: DocStore; kek: KeyEncryptionKey; logger: Logger },
  options: { batchSize?: number } = {},
): Promise<RewrapReport> {
  const kekVersion = await deps.kek.currentVersion();
  const stale = await deps.docs.query<StoredKey>(COLLECTIONS.apiKeys, {
    where: [['sealed.kekVersion', '!=', kekVersion]],
  });
  const report: RewrapReport = { kekVersion, rewrapped: 0, skipped: 0, failed: 0 };
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  for (let i = 0; i < stale.length; i += batchSize) {
    for (const doc of stale.slice(i, i + batchSize)) {
      const { uid, provider, sealed } = doc.data;
      try {
        const fresh = await rewrap(deps.kek, sealed, sealContext(uid, provider));
        await deps.docs.set<StoredKey>(
          COLLECTIONS.apiKeys,
          doc.id,
          { ...doc.data, sealed: fresh },
          { expectedVersion: doc.version },
        );
        report.rewrapped++;
      } catch (err) {
        if (isAppError(err) && err.code === 'conflict') report.skipped++;
        else {
          report.failed++;
          deps.logger.error({ keyId: doc.id, err: (err as Error).message }, 'could not re-wrap a stored key');
        }
      }
    }
    await yieldToReads();
  }
  return report;
}

/** Makes a new KEK version current and re-wraps stored keys in the background. */
export async function rotateKek(
  deps: { docs: DocStore; kek: KeyEncryptionKey; logger: Logger },
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

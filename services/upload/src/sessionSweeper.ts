import type { BlobStore, DocStore } from '@storyreel/shared';
import { deleteStaging, stagingPrefix } from './stagingArea.js';
import { COMPLETION_LEASE_MS, UPLOAD_SESSIONS, type UploadSession } from './uploadSessions.js';

export interface SweepDeps {
  docs: DocStore;
  blobs: BlobStore;
  mediaBucket: string;
}

/** Sessions removed per sweep; a backlog is worked off over the following sweeps. */
const BATCH = 100;

/**
 * Removes sessions past their expiry, finished or not, with their staged
 * chunks. A finished upload's stored file and record are not touched: only
 * the session that carried it goes. Returns how many sessions were removed.
 */
export async function sweepExpiredSessions(deps: SweepDeps, now = new Date()): Promise<number> {
  const expired = await deps.docs.query<UploadSession>(UPLOAD_SESSIONS, {
    where: [['expiresAt', '<=', now.toISOString()]],
    limit: BATCH,
  });
  let removed = 0;
  for (const doc of expired) {
    const { status, completingSince } = doc.data;
    // A completion that began just before the expiry is left to finish; a stale one is swept.
    if (status === 'completing' && now.getTime() - Date.parse(completingSince ?? '') < COMPLETION_LEASE_MS) continue;
    // Chunks first: if the sweep dies in between, the session is still there to be swept again.
    await deleteStaging(deps.blobs, stagingPrefix(deps.mediaBucket, doc.data.owner, doc.id));
    await deps.docs.delete(UPLOAD_SESSIONS, doc.id);
    removed++;
  }
  return removed;
}

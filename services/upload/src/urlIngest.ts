import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchPublicUrl, type SsrfGuardOptions, type UserCaller } from '@storyreel/shared';
import { type IntakeDeps, intakeMedia, type StoredUpload } from './mediaIntake.js';
import { assertOwnedProject } from './projectAccess.js';
import { checkUploadQuota } from './uploadQuota.js';

export interface IngestDeps extends IntakeDeps {
  ssrf: SsrfGuardOptions;
}

/**
 * Fetches a picture from a URL the user gave (through the SSRF guard: public
 * addresses only, pinned, redirects re-checked, size capped while it
 * streams) and stores it exactly like an uploaded one.
 */
export async function ingestUrl(
  deps: IngestDeps,
  caller: UserCaller,
  input: { projectId: string; url: string },
): Promise<StoredUpload> {
  await assertOwnedProject(deps.docs, caller.uid, input.projectId);
  // Refuse before fetching when today's allowance is already spent.
  await checkUploadQuota(deps.docs, deps.quotas, caller, { receivedBytes: 0, storedBytes: 0 });
  const fetched = await fetchPublicUrl(input.url, {
    ...deps.ssrf,
    maxBytes: deps.limits.imageMaxBytes,
    connectTimeoutMs: deps.limits.ingestConnectTimeoutMs,
    totalTimeoutMs: deps.limits.ingestTotalTimeoutMs,
    accept: 'image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1',
  });
  const work = await mkdtemp(join(tmpdir(), 'ingest-'));
  try {
    const file = join(work, 'source');
    await writeFile(file, fetched.body);
    return await intakeMedia(deps, {
      caller,
      projectId: input.projectId,
      kind: 'image',
      file,
      sha256: createHash('sha256').update(fetched.body).digest('hex'),
      source: 'url',
      sourceUrl: fetched.url,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

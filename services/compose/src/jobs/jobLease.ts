import type { StoredDoc } from '@storyreel/shared';
import { type Job, withLog } from './job.js';
import type { JobStore } from './jobStore.js';

/**
 * Leases: a worker runs a job only while it holds an unexpired lease on it,
 * taken in a DocStore transaction, so two workers never run one job at once,
 * and a worker that died stops holding it when the lease runs out.
 */

export const leaseExpired = (job: Job, nowMs: number) => !job.lease || Date.parse(job.lease.expiresAt) <= nowMs;

/** Queued jobs, and running jobs whose worker stopped renewing the lease. */
export const claimable = (job: Job, nowMs: number) =>
  (job.status === 'queued' || job.status === 'running') && leaseExpired(job, nowMs);

export const leaseUntil = (workerId: string, nowMs: number, leaseMs: number) => ({
  owner: workerId,
  expiresAt: new Date(nowMs + leaseMs).toISOString(),
});

/** Takes the job for `workerId`, or answers null when it is not claimable (anymore). */
export async function claimJob(
  store: JobStore,
  jobId: string,
  workerId: string,
  nowMs: number,
  leaseMs: number,
): Promise<StoredDoc<Job> | null> {
  let claimed = false;
  const doc = await store.mutate(jobId, (job) => {
    claimed = claimable(job, nowMs);
    if (!claimed) return undefined;
    const at = new Date(nowMs);
    const resumed = job.status === 'running';
    return {
      status: 'running',
      lease: leaseUntil(workerId, nowMs, leaseMs),
      startedAt: job.startedAt ?? at.toISOString(),
      logs: withLog(
        job,
        resumed ? 'warn' : 'info',
        resumed ? `the previous worker stopped answering; ${workerId} resumes the job` : `started by ${workerId}`,
        at,
      ),
    };
  });
  return claimed ? doc : null;
}

/** The next job this worker could take, oldest first; claim it with `claimJob` (another worker may be faster). */
export async function claimableJobs(store: JobStore, nowMs: number): Promise<StoredDoc<Job>[]> {
  return (await store.active()).filter((doc) => claimable(doc.data, nowMs));
}

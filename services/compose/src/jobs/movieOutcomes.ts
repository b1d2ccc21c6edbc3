import { COLLECTIONS, chargeQuota, type DocStore, recordJobOutcome } from '@storyreel/shared';
import type { Job, JobResult } from './job.js';
import type { JobOutcomes } from './jobRunner.js';
import { movieResult } from './movieSteps.js';

/** A finished movie, one per successful job (same id). */
export interface RenderRecord extends JobResult {
  owner: string;
  projectId: string;
  jobId: string;
  options: Job['options'];
  createdAt: string;
}

/**
 * What a movie job leaves behind: the render's record (committed with the
 * job's success), the user's quota charged (only now: a failed render costs
 * nothing) and the render SLI.
 */
export function movieOutcomes(docs: DocStore): JobOutcomes {
  return {
    result: movieResult,
    recordSuccess(tx, job, result) {
      tx.set<RenderRecord>(COLLECTIONS.renders, job.id, {
        ...result,
        owner: job.owner,
        projectId: job.projectId,
        jobId: job.id,
        options: job.options,
        createdAt: job.finishedAt ?? new Date().toISOString(),
      });
    },
    async ended(job) {
      const ok = job.status === 'succeeded';
      if (ok) await chargeQuota(docs, job.owner);
      const finishedAt = Date.parse(job.finishedAt ?? '') || Date.now();
      await recordJobOutcome(docs, { kind: 'render', ok, durationMs: finishedAt - Date.parse(job.createdAt) });
    },
  };
}

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

/** Whether work for this user ran on their own provider keys only (then their plan is not charged). */
export type OwnKeysCheck = (uid: string) => Promise<boolean>;

const neverOwnKeys: OwnKeysCheck = async () => false;

/**
 * What a movie job leaves behind: the render's record (committed with the
 * job's success), the user's quota charged (only now: a failed render costs
 * nothing; a render made with the user's own keys is counted but not charged)
 * and the render SLI.
 */
export function movieOutcomes(docs: DocStore, ownKeys: OwnKeysCheck = neverOwnKeys): JobOutcomes {
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
      if (ok) {
        // Not knowing (api-key down) charges the plan, as when the platform's keys were used.
        const usedOwnKey = await ownKeys(job.owner).catch(() => false);
        await chargeQuota(docs, job.owner, { usedOwnKey });
      }
      const finishedAt = Date.parse(job.finishedAt ?? '') || Date.now();
      await recordJobOutcome(docs, { kind: 'render', ok, durationMs: finishedAt - Date.parse(job.createdAt) });
    },
  };
}

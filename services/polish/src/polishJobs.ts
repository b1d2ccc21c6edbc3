import {
  type Caller,
  type DocStore,
  type Logger,
  type ProgressRecord,
  readProgress,
  trackProgress,
} from '@storyreel/shared';
import type { PolishResult, PolishStage } from './polishMovie.js';

type Stage = Exclude<PolishStage, 'done'>;
export type PolishJob = ProgressRecord<Stage, PolishResult>;

const POLISH = {
  service: 'polish',
  firstStage: 'checking',
  internalFailure: 'the polish failed on our side; try again',
} as const;

export function readPolishJob(docs: DocStore, caller: Caller, jobId: string): Promise<PolishJob | null> {
  return readProgress(docs, POLISH, caller, jobId);
}

/** The progress of one polish, polled by `GET /v1/polishes/:jobId` (shared/src/progress). */
export function trackPolishJob(docs: DocStore, caller: Caller, jobId: string, log: Pick<Logger, 'warn'>) {
  return trackProgress<Stage, PolishResult>(docs, POLISH, caller, jobId, log);
}

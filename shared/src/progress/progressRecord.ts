import type { Caller } from '../auth/caller.js';
import { contentHash } from '../contentHash.js';
import { COLLECTIONS, type DocStore } from '../docs/port.js';
import { isAppError } from '../errors.js';
import type { Logger } from '../http/logger.js';

export type ProgressStatus = 'running' | 'succeeded' | 'failed';

/** How far one long request (a render, a polish) is, as its caller polls it. */
export interface ProgressRecord<Stage extends string, Result> {
  jobId: string;
  owner: string;
  status: ProgressStatus;
  /** A stage of the work, or 'done'. */
  stage: Stage | 'done';
  percent: number;
  result?: Result;
  error?: { code: string; message: string };
  startedAt: string;
  updatedAt: string;
}

export interface ProgressKind<Stage extends string> {
  /** Which service's work this is: a render and a polish under one job id are kept apart. */
  service: string;
  firstStage: Stage;
  /** Shown instead of an unexpected error's own message, which may hold internals. */
  internalFailure: string;
}

/** Writes fewer than this apart are skipped unless the stage changed: progress is read by polling. */
const MIN_WRITE_INTERVAL_MS = 1_000;

/** Records are named by their caller: two callers choosing the same jobId never see each other's work. */
export function progressOwner(caller: Caller): string {
  if (caller.kind === 'user') return `user:${caller.uid}`;
  if (caller.kind === 'service') return `service:${caller.service}`;
  return `ip:${caller.ip}`;
}

const docId = (service: string, owner: string, jobId: string) => contentHash({ service, owner, jobId }, 32);

export async function readProgress<Stage extends string, Result>(
  docs: DocStore,
  kind: Pick<ProgressKind<Stage>, 'service'>,
  caller: Caller,
  jobId: string,
): Promise<ProgressRecord<Stage, Result> | null> {
  const id = docId(kind.service, progressOwner(caller), jobId);
  return (await docs.get<ProgressRecord<Stage, Result>>(COLLECTIONS.renderProgress, id))?.data ?? null;
}

/**
 * Progress of one piece of work kept in the document store, so a GET answers
 * from any instance. Writes are chained (never reordered) and thinned out;
 * `succeeded` and `failed` wait for all of them. A failed write is logged,
 * never allowed to fail the work it describes.
 */
export function trackProgress<Stage extends string, Result>(
  docs: DocStore,
  kind: ProgressKind<Stage>,
  caller: Caller,
  jobId: string,
  log: Pick<Logger, 'warn'>,
) {
  const now = () => new Date();
  const owner = progressOwner(caller);
  const id = docId(kind.service, owner, jobId);
  const startedAt = now().toISOString();
  let record: ProgressRecord<Stage, Result> = {
    jobId,
    owner,
    status: 'running',
    stage: kind.firstStage,
    percent: 0,
    startedAt,
    updatedAt: startedAt,
  };
  let chain: Promise<unknown> = Promise.resolve();
  let lastWrite = 0;
  const write = () => {
    const snapshot = { ...record, updatedAt: now().toISOString() };
    lastWrite = Date.now();
    chain = chain
      .then(() => docs.set(COLLECTIONS.renderProgress, id, snapshot))
      .catch((err: unknown) => log.warn({ err, jobId, service: kind.service }, 'could not record progress'));
    return chain;
  };
  write();
  return {
    progress(progress: { stage: Stage | 'done'; percent: number }): void {
      const stageChanged = progress.stage !== record.stage;
      record = { ...record, ...progress };
      if (stageChanged || Date.now() - lastWrite >= MIN_WRITE_INTERVAL_MS) write();
    },
    async succeeded(result: Result): Promise<void> {
      record = { ...record, status: 'succeeded', stage: 'done', percent: 100, result };
      await write();
    },
    async failed(err: unknown): Promise<void> {
      const error = isAppError(err)
        ? { code: err.code, message: err.message }
        : { code: 'internal', message: kind.internalFailure };
      record = { ...record, status: 'failed', error };
      await write();
    },
  };
}

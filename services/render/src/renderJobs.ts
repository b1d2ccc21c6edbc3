import { type Caller, COLLECTIONS, contentHash, type DocStore, isAppError, type Logger } from '@storyreel/shared';
import type { RenderProgress, RenderResult, RenderStage } from './renderMovie.js';

export type RenderJobStatus = 'running' | 'succeeded' | 'failed';

export interface RenderJob {
  jobId: string;
  owner: string;
  status: RenderJobStatus;
  stage: RenderStage;
  percent: number;
  result?: RenderResult;
  error?: { code: string; message: string };
  startedAt: string;
  updatedAt: string;
}

/** Writes fewer than this apart are skipped unless the stage changed: progress is read by polling. */
const MIN_WRITE_INTERVAL_MS = 1_000;

/** Jobs are named by their caller: two callers choosing the same jobId never see each other's renders. */
export function ownerOf(caller: Caller): string {
  if (caller.kind === 'user') return `user:${caller.uid}`;
  if (caller.kind === 'service') return `service:${caller.service}`;
  return `ip:${caller.ip}`;
}

const docId = (owner: string, jobId: string) => contentHash({ owner, jobId }, 32);

export async function readRenderJob(docs: DocStore, caller: Caller, jobId: string): Promise<RenderJob | null> {
  return (await docs.get<RenderJob>(COLLECTIONS.renderProgress, docId(ownerOf(caller), jobId)))?.data ?? null;
}

/**
 * Progress of one render kept in the document store, so `GET /v1/renders/:id`
 * answers from any instance. Writes are chained (never reordered) and
 * thinned out; `succeeded` and `failed` wait for all of them. A failed write
 * is logged, never allowed to fail the render it describes.
 */
export function trackRenderJob(docs: DocStore, caller: Caller, jobId: string, log: Pick<Logger, 'warn'>) {
  const now = () => new Date();
  const owner = ownerOf(caller);
  const id = docId(owner, jobId);
  const startedAt = now().toISOString();
  let job: RenderJob = {
    jobId,
    owner,
    status: 'running',
    stage: 'checking',
    percent: 0,
    startedAt,
    updatedAt: startedAt,
  };
  let chain: Promise<unknown> = Promise.resolve();
  let lastWrite = 0;
  const write = () => {
    const snapshot = { ...job, updatedAt: now().toISOString() };
    lastWrite = Date.now();
    chain = chain
      .then(() => docs.set(COLLECTIONS.renderProgress, id, snapshot))
      .catch((err: unknown) => log.warn({ err, jobId }, 'could not record render progress'));
    return chain;
  };
  write();
  return {
    progress(progress: RenderProgress): void {
      const stageChanged = progress.stage !== job.stage;
      job = { ...job, ...progress };
      if (stageChanged || Date.now() - lastWrite >= MIN_WRITE_INTERVAL_MS) write();
    },
    async succeeded(result: RenderResult): Promise<void> {
      job = { ...job, status: 'succeeded', stage: 'done', percent: 100, result };
      await write();
    },
    async failed(err: unknown): Promise<void> {
      const error = isAppError(err)
        ? { code: err.code, message: err.message }
        : { code: 'internal', message: 'the render failed on our side; try again' };
      job = { ...job, status: 'failed', error };
      await write();
    },
  };
}

import {
  type Caller,
  type DocStore,
  type Logger,
  type ProgressRecord,
  readProgress,
  trackProgress,
} from '@storyreel/shared';
import type { RenderResult, RenderStage } from './renderMovie.js';

export type RenderJob = ProgressRecord<Exclude<RenderStage, 'done'>, RenderResult>;

const RENDER = {
  service: 'render',
  firstStage: 'checking',
  internalFailure: 'the render failed on our side; try again',
} as const;

export function readRenderJob(docs: DocStore, caller: Caller, jobId: string): Promise<RenderJob | null> {
  return readProgress(docs, RENDER, caller, jobId);
}

/** The progress of one render, polled by `GET /v1/renders/:jobId` (shared/src/progress). */
export function trackRenderJob(docs: DocStore, caller: Caller, jobId: string, log: Pick<Logger, 'warn'>) {
  return trackProgress<Exclude<RenderStage, 'done'>, RenderResult>(docs, RENDER, caller, jobId, log);
}

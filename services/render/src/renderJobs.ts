import type { ProgressKind } from '@storyreel/shared';
import type { RenderStage } from './renderMovie.js';

/** A render's progress, polled by `GET /v1/renders/:jobId` (shared/src/progress). */
export const RENDER_PROGRESS: ProgressKind<Exclude<RenderStage, 'done'>> = {
  service: 'render',
  firstStage: 'checking',
  internalFailure: 'the render failed on our side; try again',
};

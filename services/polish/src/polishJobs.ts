import type { ProgressKind } from '@storyreel/shared';
import type { PolishStage } from './polishMovie.js';

/** A polish's progress, polled by `GET /v1/polishes/:jobId` (shared/src/progress). */
export const POLISH_PROGRESS: ProgressKind<Exclude<PolishStage, 'done'>> = {
  service: 'polish',
  firstStage: 'checking',
  internalFailure: 'the polish failed on our side; try again',
};

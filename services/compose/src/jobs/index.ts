import { randomBytes } from 'node:crypto';
import type { RouteDefinition, ServiceContext } from '@storyreel/shared';
import { DEFAULT_EVENT_STREAM_SETTINGS, type EventStreamSettings } from './jobEvents.js';
import type { JobQueue, JobWorker } from './jobQueue.js';
import { jobRoutes as routes } from './jobRoutes.js';
import { createJobRunner, DEFAULT_RUNNER_SETTINGS, type JobRunner, type RunnerSettings } from './jobRunner.js';
import type { GenerateMissingImages } from './jobStep.js';
import { jobStoreFor } from './jobStore.js';
import type { MeshCalls } from './meshCalls.js';
import { movieOutcomes, type OwnKeysCheck } from './movieOutcomes.js';
import { MOVIE_STEPS } from './movieSteps.js';
import { DEFAULT_POLLING_SETTINGS, type PollingSettings, pollingJobQueue } from './pollingJobQueue.js';

export type { CloudTasksSettings, TasksClient } from './cloudTasksJobQueue.js';
export { cloudTasksJobQueue } from './cloudTasksJobQueue.js';
export { httpMeshCalls } from './httpMeshCalls.js';
export type { JobQueue, JobWorker } from './jobQueue.js';
export type { GenerateMissingImages } from './jobStep.js';
export type { MeshCalls } from './meshCalls.js';
export { movieJobDeps } from './movieJobDeps.js';
export { pollingJobQueue } from './pollingJobQueue.js';

export interface JobSettings extends RunnerSettings, PollingSettings {
  events: EventStreamSettings;
}

export interface JobDeps {
  calls: MeshCalls;
  generateMissingImages: GenerateMissingImages;
  /** Default: the lease-polling queue over ctx.docs. */
  queue?: JobQueue;
  /** Default: every finished job is charged to the plan. */
  ownKeys?: OwnKeysCheck;
  settings?: Partial<JobSettings>;
}

type JobContext = Pick<ServiceContext, 'name' | 'docs' | 'buckets' | 'logger'>;

const settingsOf = (deps: JobDeps): JobSettings => ({
  ...DEFAULT_RUNNER_SETTINGS,
  ...DEFAULT_POLLING_SETTINGS,
  events: DEFAULT_EVENT_STREAM_SETTINGS,
  ...deps.settings,
});

const queueOf = (ctx: JobContext, deps: JobDeps, settings: JobSettings) =>
  deps.queue ?? pollingJobQueue(ctx.docs, ctx.logger, settings);

function runnerOf(ctx: JobContext, deps: JobDeps, settings: JobSettings): JobRunner {
  const workerId = `${ctx.name}-${randomBytes(4).toString('hex')}`;
  ctx.logger.info({ workerId, pid: process.pid }, 'movie job runner ready');
  return createJobRunner({
    store: jobStoreFor(ctx.docs),
    steps: MOVIE_STEPS,
    calls: deps.calls,
    generateMissingImages: deps.generateMissingImages,
    mediaBucket: ctx.buckets.media,
    outcomes: movieOutcomes(ctx.docs, deps.ownKeys),
    logger: ctx.logger,
    workerId,
    settings,
  });
}

/** The movie job's HTTP routes: render, job status, SSE events, logs, cancel, retry, and the internal run route. */
export function jobRoutes(ctx: JobContext, deps: JobDeps): RouteDefinition[] {
  const settings = settingsOf(deps);
  return routes({
    docs: ctx.docs,
    store: jobStoreFor(ctx.docs),
    queue: queueOf(ctx, deps, settings),
    runner: runnerOf(ctx, deps, settings),
    leaseMs: settings.leaseMs,
    events: settings.events,
    ...(deps.ownKeys ? { ownKeys: deps.ownKeys } : {}),
  });
}

/** Starts taking jobs in this process (a polling loop, or nothing with a push queue); stop it before the DocStore closes. */
export function startJobWorker(ctx: JobContext, deps: JobDeps): JobWorker {
  const settings = settingsOf(deps);
  return queueOf(ctx, deps, settings).consume(runnerOf(ctx, deps, settings));
}

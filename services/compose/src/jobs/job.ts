import type { DenoiseLevel, Plan, UpscaleTarget } from '@storyreel/shared';
import type { MovieProject } from './movieProject.js';

/**
 * The movie job as it is stored in the `jobs` collection: one document per
 * render request, written by the route that creates it, the worker that holds
 * its lease, and the cancel / retry routes.
 */

export const JOBS = 'jobs';
/** One document per project naming its latest job: what makes "one active job per project" atomic. */
export const JOB_LOCKS = 'job_locks';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export const STEP_NAMES = ['images', 'narrate', 'align', 'captions', 'music', 'render', 'polish'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export const QUALITIES = ['draft', 'standard', 'high'] as const;
export const RESOLUTIONS = ['720p', '1080p'] as const;

export interface StepState {
  status: StepStatus;
  /** Tries since the step was last reset; the runner gives up at its limit, also across workers. */
  attempts: number;
  output?: unknown;
  error?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** What the polish step does to the rendered movie (the polish service's options). */
export interface PolishChoice {
  upscale?: UpscaleTarget;
  interpolate?: boolean;
  denoise?: DenoiseLevel;
}

export interface JobOptions {
  quality: (typeof QUALITIES)[number];
  resolution: (typeof RESOLUTIONS)[number];
  /** null: the movie is not polished. */
  polish: PolishChoice | null;
  gif: boolean;
}

export interface JobLease {
  owner: string;
  expiresAt: string;
}

export interface JobLog {
  /** Grows by one per line over the job's life; SSE clients use it to send only new lines. */
  seq: number;
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface JobResult {
  videoPath: string;
  posterPath: string | null;
  gifPath: string | null;
  captions: { srt: string; vtt: string; ass: string } | null;
  durationSeconds: number;
  width: number;
  height: number;
}

export interface Job {
  id: string;
  projectId: string;
  owner: string;
  plan: Plan;
  /** The project as it was when the render was asked for. */
  project: MovieProject;
  status: JobStatus;
  /** `queued`, the running step's name, or `done`; a failed or cancelled job keeps the step it stopped at. */
  stage: string;
  progress: number;
  steps: Record<StepName, StepState>;
  options: JobOptions;
  lease: JobLease | null;
  logs: JobLog[];
  error: string | null;
  result: JobResult | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const MAX_LOGS = 200;
export const ACTIVE_STATUSES: readonly JobStatus[] = ['queued', 'running'];

export const isActive = (job: Pick<Job, 'status'>) => ACTIVE_STATUSES.includes(job.status);

export function newJob(input: {
  id: string;
  projectId: string;
  owner: string;
  plan: Plan;
  project: MovieProject;
  options: JobOptions;
  at: Date;
}): Job {
  const at = input.at.toISOString();
  const steps = Object.fromEntries(STEP_NAMES.map((name) => [name, { status: 'pending', attempts: 0 }])) as Record<
    StepName,
    StepState
  >;
  return {
    id: input.id,
    projectId: input.projectId,
    owner: input.owner,
    plan: input.plan,
    project: input.project,
    status: 'queued',
    stage: 'queued',
    progress: 0,
    steps,
    options: input.options,
    lease: null,
    logs: [{ seq: 1, at, level: 'info', message: 'queued' }],
    error: null,
    result: null,
    createdAt: at,
    updatedAt: at,
    startedAt: null,
    finishedAt: null,
  };
}

/** The job's logs with one more line, the oldest dropped past MAX_LOGS. */
export function withLog(job: Pick<Job, 'logs'>, level: JobLog['level'], message: string, at: Date): JobLog[] {
  const seq = (job.logs[job.logs.length - 1]?.seq ?? 0) + 1;
  return [...job.logs, { seq, at: at.toISOString(), level, message }].slice(-MAX_LOGS);
}

/**
 * What callers see: no lease (worker bookkeeping), project copy or step
 * outputs (bulky: word timings), and no logs (they have their own route).
 */
export function jobView(job: Job, version: number) {
  const { lease: _lease, logs: _logs, project: _project, steps, ...rest } = job;
  const stepViews = Object.fromEntries(
    Object.entries(steps).map(([name, { output: _output, ...step }]) => [name, step]),
  ) as Record<StepName, Omit<StepState, 'output'>>;
  return { ...rest, steps: stepViews, version };
}

export type JobView = ReturnType<typeof jobView>;

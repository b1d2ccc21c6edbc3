import { randomUUID } from 'node:crypto';
import {
  checkQuota,
  conflict,
  DENOISE_LEVELS,
  type DocStore,
  type DocTransaction,
  defineRoute,
  notFound,
  type StoredDoc,
  UPSCALE_TARGETS,
  type UserCaller,
  unavailable,
  unprocessable,
} from '@storyreel/shared';
import { z } from 'zod';
import { readOwnedProject } from '../projectAccess.js';
import { isActive, JOB_LOCKS, JOBS, type Job, jobView, newJob, QUALITIES, RESOLUTIONS, withLog } from './job.js';
import type { EventStreamSettings } from './jobEvents.js';
import { streamJobEvents } from './jobEvents.js';
import type { JobQueue } from './jobQueue.js';
import type { JobRunner } from './jobRunner.js';
import type { JobStore } from './jobStore.js';
import type { OwnKeysCheck } from './movieOutcomes.js';
import { movieProject } from './movieProject.js';

export interface JobRouteDeps {
  docs: DocStore;
  /** A user whose renders run on their own keys only is not held to the plan's daily limit. */
  ownKeys?: OwnKeysCheck;
  store: JobStore;
  queue: JobQueue;
  runner: JobRunner;
  leaseMs: number;
  events: EventStreamSettings;
}

interface JobLock {
  jobId: string;
  owner: string;
}

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'an id');
const IdParams = z.object({ id: Id });

const PolishChoice = z
  .object({
    upscale: z.enum(UPSCALE_TARGETS).optional(),
    interpolate: z.boolean().optional(),
    denoise: z.enum(DENOISE_LEVELS).optional(),
  })
  .strict()
  .refine((p) => p.upscale || p.interpolate || p.denoise, {
    message: 'ask for at least one of upscale, interpolate, denoise (or leave polish out)',
  });

const RenderRequest = z.object({
  quality: z.enum(QUALITIES).default('standard'),
  resolution: z.enum(RESOLUTIONS).default('720p'),
  /** After the render, the polish service upscales / interpolates / denoises the movie; null or false: not. */
  polish: z
    .union([PolishChoice, z.literal(false), z.null()])
    .default(null)
    .transform((p) => p || null),
  gif: z.boolean().default(false),
});

const StepView = z.object({
  status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  attempts: z.number().int(),
  error: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});

const JobViewSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  owner: z.string(),
  plan: z.enum(['free', 'pro', 'enterprise']),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  stage: z.string(),
  progress: z.number().int().min(0).max(100),
  steps: z.record(z.string(), StepView),
  options: z.object({
    quality: z.enum(QUALITIES),
    resolution: z.enum(RESOLUTIONS),
    polish: PolishChoice.nullable(),
    gif: z.boolean(),
  }),
  error: z.string().nullable(),
  result: z
    .object({
      videoPath: z.string(),
      posterPath: z.string().nullable(),
      gifPath: z.string().nullable(),
      captions: z.object({ srt: z.string(), vtt: z.string(), ass: z.string() }).nullable(),
      durationSeconds: z.number(),
      width: z.number(),
      height: z.number(),
    })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  version: z.number().int(),
});
const JobResponse = z.object({ job: JobViewSchema });
const LogLine = z.object({
  seq: z.number().int(),
  at: z.string(),
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
});

/** Another user's job is as absent as a missing one. */
async function ownedJob(store: JobStore, id: string, uid: string): Promise<StoredDoc<Job>> {
  const doc = await store.get(id);
  if (!doc || doc.data.owner !== uid) throw notFound('job');
  return doc;
}

/**
 * Makes `job` its project's active job, inside the caller's transaction,
 * unless another job of the project is queued or running (409): two
 * requests at once cannot both start one. Reads, then writes the lock: the
 * caller does its own reads before and its writes after.
 */
async function lockProject(tx: DocTransaction, job: Job): Promise<void> {
  const lock = await tx.get<JobLock>(JOB_LOCKS, job.projectId);
  if (lock && lock.data.jobId !== job.id) {
    const current = await tx.get<Job>(JOBS, lock.data.jobId);
    if (current && isActive(current.data)) {
      throw conflict('a movie of this project is already being made', { jobId: current.id });
    }
  }
  tx.set<JobLock>(JOB_LOCKS, job.projectId, { jobId: job.id, owner: job.owner });
}

const retryable = (job: Job) => job.status === 'failed' || job.status === 'cancelled';

/** The job queued again: steps that failed or were interrupted start over, keeping what they saved. */
function retried(job: Job, at: Date): Partial<Job> {
  const steps = Object.fromEntries(
    Object.entries(job.steps).map(([name, step]) => [
      name,
      step.status === 'failed' || step.status === 'running'
        ? { status: 'pending', attempts: 0, ...(step.output === undefined ? {} : { output: step.output }) }
        : step,
    ]),
  ) as Job['steps'];
  return {
    status: 'queued',
    stage: 'queued',
    steps,
    error: null,
    lease: null,
    finishedAt: null,
    updatedAt: at.toISOString(),
    logs: withLog(job, 'info', 'retry asked for', at),
  };
}

export function jobRoutes(deps: JobRouteDeps) {
  const { docs, store, queue } = deps;

  /** The plan's limit, unless the render will not be charged (api-key not answering: it will be). */
  async function checkPlan(user: UserCaller): Promise<void> {
    const ownKeysOnly = deps.ownKeys ? await deps.ownKeys(user.uid).catch(() => false) : false;
    if (!ownKeysOnly) await checkQuota(docs, user);
  }

  /** A job nobody will run is failed at once, so the user can retry it instead of waiting forever. */
  async function enqueue(jobId: string): Promise<void> {
    try {
      await queue.enqueue(jobId);
    } catch (err) {
      const message = 'the job could not be queued; retry it';
      await store.mutate(jobId, (job) => ({
        status: 'failed',
        error: message,
        finishedAt: new Date().toISOString(),
        logs: withLog(job, 'error', message, new Date()),
      }));
      throw unavailable(`${message} (${err instanceof Error ? err.message : String(err)})`, 5);
    }
  }

  return [
    defineRoute({
      method: 'post',
      path: '/v1/projects/:id/render',
      summary: 'Start making the movie of a project (returns at once; follow the job)',
      auth: 'user',
      params: IdParams,
      body: RenderRequest,
      response: JobResponse,
      status: 202,
      idempotent: true,
      handler: async ({ params, body, caller }) => {
        const user = caller as UserCaller;
        const { data: project } = await readOwnedProject(docs, user.uid, params.id);
        if (project.scenes.length === 0)
          throw unprocessable('the project has no scenes yet: make its storyboard first');
        // Checked now, charged only when the movie is made.
        await checkPlan(user);
        const job = newJob({
          id: randomUUID(),
          projectId: params.id,
          owner: user.uid,
          plan: user.plan,
          project: movieProject(params.id, project),
          options: body,
          at: new Date(),
        });
        await docs.transaction(async (tx) => {
          await lockProject(tx, job);
          tx.set<Job>(JOBS, job.id, job);
        });
        await enqueue(job.id);
        return { job: jobView(job, 1) };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/v1/jobs/:id',
      summary: 'A movie job: status, stage, progress, steps and, once made, the movie',
      auth: 'user',
      params: IdParams,
      response: JobResponse,
      handler: async ({ params, caller }) => {
        const doc = await ownedJob(store, params.id, (caller as UserCaller).uid);
        return { job: jobView(doc.data, doc.version) };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/v1/projects/:id/jobs',
      summary: "A project's movie jobs, newest first",
      auth: 'user',
      params: IdParams,
      response: z.object({ jobs: z.array(JobViewSchema) }),
      handler: async ({ params, caller }) => {
        const uid = (caller as UserCaller).uid;
        await readOwnedProject(docs, uid, params.id);
        const jobs = await store.forProject(params.id, uid);
        return { jobs: jobs.slice(0, 50).map((doc) => jobView(doc.data, doc.version)) };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/v1/jobs/:id/events',
      summary: 'Server-sent events of a job (job, log, end) until it ends',
      auth: 'user',
      params: IdParams,
      handler: async ({ params, caller, req, res }) => {
        const doc = await ownedJob(store, params.id, (caller as UserCaller).uid);
        await streamJobEvents(req, res, store, doc, deps.events);
      },
    }),

    defineRoute({
      method: 'get',
      path: '/v1/jobs/:id/logs',
      summary: "A job's log lines, oldest first (the last 200)",
      auth: 'user',
      params: IdParams,
      response: z.object({ logs: z.array(LogLine) }),
      handler: async ({ params, caller }) => {
        const doc = await ownedJob(store, params.id, (caller as UserCaller).uid);
        return { logs: doc.data.logs };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/v1/jobs/:id/cancel',
      summary: 'Stop a queued or running job',
      auth: 'user',
      params: IdParams,
      response: JobResponse,
      handler: async ({ params, caller }) => {
        const uid = (caller as UserCaller).uid;
        await ownedJob(store, params.id, uid);
        const doc = await store.mutate(params.id, (job) => {
          if (!isActive(job))
            throw conflict(`the job already ${job.status === 'cancelled' ? 'was cancelled' : job.status}`);
          const steps = Object.fromEntries(
            Object.entries(job.steps).map(([name, step]) => [
              name,
              step.status === 'running' ? { ...step, status: 'pending' } : step,
            ]),
          ) as Job['steps'];
          return {
            status: 'cancelled',
            lease: null,
            steps,
            finishedAt: new Date().toISOString(),
            logs: withLog(job, 'info', 'cancelled', new Date()),
          };
        });
        return { job: jobView(doc.data, doc.version) };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/v1/jobs/:id/retry',
      summary: 'Run a failed or cancelled job again from the step it stopped at',
      auth: 'user',
      params: IdParams,
      response: JobResponse,
      status: 202,
      handler: async ({ params, caller }) => {
        const user = caller as UserCaller;
        const doc = await ownedJob(store, params.id, user.uid);
        if (!retryable(doc.data)) {
          throw conflict(`only a failed or cancelled job can be retried; this one is ${doc.data.status}`);
        }
        await checkPlan(user);
        const again = await docs.transaction(async (tx) => {
          const fresh = await tx.get<Job>(JOBS, doc.id);
          if (!fresh || !retryable(fresh.data)) throw conflict('the job changed meanwhile; reload it');
          await lockProject(tx, fresh.data);
          const patch = retried(fresh.data, new Date());
          tx.update<Job>(JOBS, fresh.id, patch);
          return { ...fresh, data: { ...fresh.data, ...patch }, version: fresh.version + 1 };
        });
        store.announce(again);
        await enqueue(again.id);
        return { job: jobView(again.data, again.version) };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/internal/jobs/:id/run',
      summary: 'Run a job in this request (Cloud Tasks delivers jobs here)',
      auth: 'service',
      appCheck: false,
      params: IdParams,
      response: z.object({ status: z.string() }),
      handler: async ({ params, res }) => {
        const claimed = await deps.runner.claim(params.id);
        if (!claimed) {
          const doc = await store.get(params.id);
          if (!doc) throw notFound('job');
          // Cloud Tasks tries again later: by then the holder finished, or its lease ran out.
          if (isActive(doc.data)) throw unavailable('another worker holds this job', Math.ceil(deps.leaseMs / 1000));
          return { status: doc.data.status };
        }
        const stop = new AbortController();
        res.on('close', () => {
          if (!res.writableFinished) stop.abort();
        });
        const end = await deps.runner.run(claimed, stop.signal);
        if (end === 'released') throw unavailable('the run stopped before the job ended; it is queued again', 1);
        return { status: end };
      },
    }),
  ];
}

import { z } from 'zod';
import type { Caller, UserCaller } from '../auth/caller.js';
import type { DocStore } from '../docs/port.js';
import { notFound } from '../errors.js';
import type { Logger } from '../http/logger.js';
import { defineRoute, type RouteDefinition } from '../http/route.js';
import { chargeQuota, checkQuota } from '../quota/planQuota.js';
import { type ProgressKind, type ProgressRecord, readProgress, trackProgress } from './progressRecord.js';

/**
 * Long requests (a render, a polish) answer when done; a caller that names a
 * `?jobId=` polls `GET <path>/:jobId` meanwhile. What render and polish share
 * of that: the schemas, one run per identical request, quota, the GET route.
 */
export const ProgressJobId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, '1 to 100 letters, digits, _ or -');
export const ProgressQuery = z.object({ jobId: ProgressJobId.optional() }).strict();

/** The body of `GET <path>/:jobId`: the progress record without its owner. */
export function progressResponse<Result extends z.ZodType>(stages: readonly [string, ...string[]], result: Result) {
  return z.object({
    jobId: z.string(),
    status: z.enum(['running', 'succeeded', 'failed']),
    stage: z.enum([...stages, 'done'] as [string, ...string[]]),
    percent: z.number(),
    result: result.optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    startedAt: z.string(),
    updatedAt: z.string(),
  });
}

/** A user calling directly is charged by the service; a service calling for a user (compose's movie job) charges its own job. */
export const chargedDirectly = (caller: Caller): caller is UserCaller => caller.kind === 'user' && !caller.via;

/** Identical requests arriving together on this instance share one run; every caller hears its progress. */
export function sharedRuns<Result, Progress>() {
  const inflight = new Map<string, { done: Promise<Result>; listeners: Set<(p: Progress) => void> }>();
  return (
    key: string,
    onProgress: (p: Progress) => void,
    start: (report: (p: Progress) => void) => Promise<Result>,
  ) => {
    const running = inflight.get(key);
    if (running) {
      running.listeners.add(onProgress);
      return running.done;
    }
    const listeners = new Set([onProgress]);
    const done = start((p) => {
      for (const listener of listeners) listener(p);
    }).finally(() => inflight.delete(key));
    inflight.set(key, { done, listeners });
    return done;
  };
}

/**
 * Runs one tracked piece of work for `caller`: the plan's quota checked first
 * and charged only when new work succeeded (a cached answer is free), its
 * progress recorded under `jobId` when the caller named one.
 */
export async function runTracked<Stage extends string, Result extends { cached: boolean }>(
  docs: DocStore,
  kind: ProgressKind<Stage>,
  request: { caller: Caller; jobId: string | undefined; log: Pick<Logger, 'warn'> },
  work: (onProgress: (progress: { stage: Stage | 'done'; percent: number }) => void) => Promise<Result>,
): Promise<Result> {
  const { caller, jobId, log } = request;
  if (chargedDirectly(caller)) await checkQuota(docs, caller);
  const job = jobId ? trackProgress<Stage, Result>(docs, kind, caller, jobId, log) : undefined;
  try {
    const result = await work((p) => job?.progress(p));
    await job?.succeeded(result);
    if (!result.cached && chargedDirectly(caller)) await chargeQuota(docs, caller.uid);
    return result;
  } catch (err) {
    await job?.failed(err);
    throw err;
  }
}

/** `GET <path>/:jobId`: the progress of work started with `?jobId=` by the same caller; anyone else's is a 404. */
export function progressRoute(
  docs: DocStore,
  kind: Pick<ProgressKind<string>, 'service'>,
  options: { path: string; noun: string; response: z.ZodType },
): RouteDefinition {
  return defineRoute({
    method: 'get',
    path: `${options.path}/:jobId`,
    summary: `Progress of a ${options.noun} started with ?jobId= by the same caller`,
    auth: 'user-or-service',
    params: z.object({ jobId: ProgressJobId }),
    response: options.response,
    handler: async ({ params, caller }) => {
      const job: ProgressRecord<string, unknown> | null = await readProgress(docs, kind, caller, params.jobId);
      if (!job) throw notFound(`${options.noun} job`);
      const { owner: _owner, ...visible } = job;
      return visible;
    },
  });
}

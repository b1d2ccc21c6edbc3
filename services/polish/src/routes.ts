import {
  type Caller,
  chargeQuota,
  checkQuota,
  contentHash,
  defineRoute,
  notFound,
  type ServiceContext,
  type UserCaller,
} from '@storyreel/shared';
import { z } from 'zod';
import { ffmpegUpscaler } from './adapters/ffmpegUpscaler.js';
import { assertMayPolish } from './polishAccess.js';
import { readPolishJob, trackPolishJob } from './polishJobs.js';
import { type PolishProgress, type PolishResult, polishMovie } from './polishMovie.js';
import { optionsOf, PolishOptions, PolishRequest } from './polishRequest.js';
import type { Upscaler } from './upscaler.js';

const JobId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, '1 to 100 letters, digits, _ or -');

const PolishQuery = z.object({ jobId: JobId.optional() }).strict();

const PolishResponse = z.object({
  videoPath: z.string(),
  sourcePath: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number(),
  durationSeconds: z.number(),
  applied: PolishOptions,
  upscaler: z.string().optional(),
  polishKey: z.string(),
  polisher: z.string(),
  cached: z.boolean(),
});

const PolishJobResponse = z.object({
  jobId: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  stage: z.enum(['checking', 'downloading', 'preparing', 'polishing', 'uploading', 'done']),
  percent: z.number(),
  result: PolishResponse.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
});

export interface PolishRouteDeps {
  /** Offline (FFmpeg) unless configured otherwise in main.ts. */
  upscaler?: Upscaler;
}

/** A user calling directly is charged here; a service calling for a user (compose's movie job) charges its own job. */
const chargedHere = (caller: Caller): caller is UserCaller => caller.kind === 'user' && !caller.via;

export function polishRoutes(ctx: ServiceContext, deps: PolishRouteDeps = {}) {
  const upscaler = deps.upscaler ?? ffmpegUpscaler;
  // Identical requests arriving together on this instance share one FFmpeg run.
  const inflight = new Map<string, { done: Promise<PolishResult>; listeners: Set<(p: PolishProgress) => void> }>();

  const polish = (
    request: PolishRequest,
    uid: string | undefined,
    onProgress: (p: PolishProgress) => void,
  ): Promise<PolishResult> => {
    const key = contentHash({ request, uid }, 32);
    const running = inflight.get(key);
    if (running) {
      running.listeners.add(onProgress);
      return running.done;
    }
    const listeners = new Set([onProgress]);
    const done = polishMovie(
      { videoPath: request.videoPath, options: optionsOf(request), uid },
      { blobs: ctx.blobs, upscaler, ffmpegPath: ctx.env.FFMPEG_PATH, ffprobePath: ctx.env.FFPROBE_PATH },
      {
        onProgress: (p) => {
          for (const listener of listeners) listener(p);
        },
      },
    ).finally(() => inflight.delete(key));
    inflight.set(key, { done, listeners });
    return done;
  };

  return [
    defineRoute({
      method: 'post',
      path: '/v1/polish',
      summary:
        'Polish a rendered movie (upscale, 60 fps interpolation, denoise, loudness) into a new movie beside it; ' +
        'answers when done. With ?jobId=, GET /v1/polishes/{jobId} reports its progress meanwhile.',
      auth: 'user-or-service',
      idempotent: true,
      body: PolishRequest,
      query: PolishQuery,
      response: PolishResponse,
      handler: async ({ body, query, caller, log }) => {
        assertMayPolish(body.videoPath, caller, ctx.buckets.media);
        if (chargedHere(caller)) await checkQuota(ctx.docs, caller);
        const job = query?.jobId ? trackPolishJob(ctx.docs, caller, query.jobId, log) : undefined;
        const started = Date.now();
        try {
          const result = await polish(body, caller.kind === 'user' ? caller.uid : undefined, (p) => job?.progress(p));
          await job?.succeeded(result);
          if (!result.cached && chargedHere(caller)) await chargeQuota(ctx.docs, caller.uid);
          log.info({ polishKey: result.polishKey, cached: result.cached, ms: Date.now() - started }, 'polish finished');
          return result;
        } catch (err) {
          await job?.failed(err);
          throw err;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/polishes/:jobId',
      summary: 'Progress of a polish started with ?jobId= by the same caller',
      auth: 'user-or-service',
      params: z.object({ jobId: JobId }),
      response: PolishJobResponse,
      handler: async ({ params, caller }) => {
        const job = await readPolishJob(ctx.docs, caller, params.jobId);
        if (!job) throw notFound('polish job');
        const { owner: _owner, ...visible } = job;
        return visible;
      },
    }),
  ];
}

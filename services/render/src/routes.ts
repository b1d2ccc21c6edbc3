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
import { QUALITIES, RenderManifest } from './manifest.js';
import { assertMayRender } from './renderAccess.js';
import { readRenderJob, trackRenderJob } from './renderJobs.js';
import { type RenderProgress, type RenderResult, renderMovie } from './renderMovie.js';

const JobId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, '1 to 100 letters, digits, _ or -');

const RenderQuery = z.object({ jobId: JobId.optional() }).strict();

const RenderResponse = z.object({
  videoPath: z.string(),
  posterPath: z.string().optional(),
  gifPath: z.string().optional(),
  hlsPath: z.string().optional(),
  thumbnailsPath: z.string().optional(),
  thumbnailsVttPath: z.string().optional(),
  sceneThumbnailPaths: z.array(z.string()).optional(),
  durationSeconds: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  sceneStartsSeconds: z.array(z.number()),
  encoder: z.object({ quality: z.enum(QUALITIES), preset: z.string(), crf: z.number() }),
  renderKey: z.string(),
  renderer: z.string(),
  cached: z.boolean(),
});

const RenderJobResponse = z.object({
  jobId: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  stage: z.enum(['checking', 'downloading', 'rendering', 'extras', 'uploading', 'done']),
  percent: z.number(),
  result: RenderResponse.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
});

/** A user calling directly is charged here; a service calling for a user (compose's movie job) charges its own job. */
const chargedHere = (caller: Caller): caller is UserCaller => caller.kind === 'user' && !caller.via;

export function renderRoutes(ctx: ServiceContext) {
  // Identical manifests arriving together on this instance share one FFmpeg run.
  const inflight = new Map<string, { done: Promise<RenderResult>; listeners: Set<(p: RenderProgress) => void> }>();

  const render = (manifest: RenderManifest, onProgress: (p: RenderProgress) => void): Promise<RenderResult> => {
    const key = contentHash(manifest, 32);
    const running = inflight.get(key);
    if (running) {
      running.listeners.add(onProgress);
      return running.done;
    }
    const listeners = new Set([onProgress]);
    const done = renderMovie(
      manifest,
      { blobs: ctx.blobs, ffmpegPath: ctx.env.FFMPEG_PATH },
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
      path: '/v1/render',
      summary:
        'Render a manifest to an MP4 (+ poster, GIF, HLS, thumbnails); answers when done. ' +
        'With ?jobId=, GET /v1/renders/{jobId} reports its progress meanwhile.',
      auth: 'user-or-service',
      idempotent: true,
      body: RenderManifest,
      query: RenderQuery,
      response: RenderResponse,
      handler: async ({ body, query, caller, log }) => {
        assertMayRender(body, caller, ctx.buckets);
        if (chargedHere(caller)) await checkQuota(ctx.docs, caller);
        const job = query?.jobId ? trackRenderJob(ctx.docs, caller, query.jobId, log) : undefined;
        const started = Date.now();
        try {
          const result = await render(body, (p) => job?.progress(p));
          await job?.succeeded(result);
          if (!result.cached && chargedHere(caller)) await chargeQuota(ctx.docs, caller.uid);
          log.info(
            {
              renderKey: result.renderKey,
              cached: result.cached,
              ms: Date.now() - started,
              seconds: result.durationSeconds,
            },
            'render finished',
          );
          return result;
        } catch (err) {
          await job?.failed(err);
          throw err;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/renders/:jobId',
      summary: 'Progress of a render started with ?jobId= by the same caller',
      auth: 'user-or-service',
      params: z.object({ jobId: JobId }),
      response: RenderJobResponse,
      handler: async ({ params, caller }) => {
        const job = await readRenderJob(ctx.docs, caller, params.jobId);
        if (!job) throw notFound('render job');
        const { owner: _owner, ...visible } = job;
        return visible;
      },
    }),
  ];
}

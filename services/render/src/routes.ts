import {
  contentHash,
  defineRoute,
  ProgressQuery,
  progressResponse,
  progressRoute,
  runTracked,
  type ServiceContext,
  sharedRuns,
} from '@storyreel/shared';
import { z } from 'zod';
import { QUALITIES, RenderManifest } from './manifest.js';
import { assertMayRender } from './renderAccess.js';
import { RENDER_PROGRESS } from './renderJobs.js';
import { type RenderProgress, type RenderResult, renderMovie } from './renderMovie.js';

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

const RenderJobResponse = progressResponse(
  ['checking', 'downloading', 'rendering', 'extras', 'uploading'],
  RenderResponse,
);

export function renderRoutes(ctx: ServiceContext) {
  // Identical manifests arriving together on this instance share one FFmpeg run.
  const shared = sharedRuns<RenderResult, RenderProgress>();
  const render = (manifest: RenderManifest, onProgress: (p: RenderProgress) => void): Promise<RenderResult> =>
    shared(contentHash(manifest, 32), onProgress, (report) =>
      renderMovie(manifest, { blobs: ctx.blobs, ffmpegPath: ctx.env.FFMPEG_PATH }, { onProgress: report }),
    );

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
      query: ProgressQuery,
      response: RenderResponse,
      handler: async ({ body, query, caller, log }) => {
        assertMayRender(body, caller, ctx.buckets);
        const started = Date.now();
        const result = await runTracked(ctx.docs, RENDER_PROGRESS, { caller, jobId: query?.jobId, log }, (onProgress) =>
          render(body, onProgress),
        );
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
      },
    }),
    progressRoute(ctx.docs, RENDER_PROGRESS, { path: '/v1/renders', noun: 'render', response: RenderJobResponse }),
  ];
}

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
import { ffmpegUpscaler } from './adapters/ffmpegUpscaler.js';
import { assertMayPolish } from './polishAccess.js';
import { POLISH_PROGRESS } from './polishJobs.js';
import { type PolishProgress, type PolishResult, polishMovie } from './polishMovie.js';
import { optionsOf, PolishOptions, PolishRequest } from './polishRequest.js';
import type { Upscaler } from './upscaler.js';

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

const PolishJobResponse = progressResponse(
  ['checking', 'downloading', 'preparing', 'polishing', 'uploading'],
  PolishResponse,
);

export interface PolishRouteDeps {
  /** Offline (FFmpeg) unless configured otherwise in main.ts. */
  upscaler?: Upscaler;
}

export function polishRoutes(ctx: ServiceContext, deps: PolishRouteDeps = {}) {
  const upscaler = deps.upscaler ?? ffmpegUpscaler;
  // Identical requests arriving together on this instance share one FFmpeg run.
  const shared = sharedRuns<PolishResult, PolishProgress>();
  const polish = (
    request: PolishRequest,
    uid: string | undefined,
    onProgress: (p: PolishProgress) => void,
  ): Promise<PolishResult> =>
    shared(contentHash({ request, uid }, 32), onProgress, (report) =>
      polishMovie(
        { videoPath: request.videoPath, options: optionsOf(request), uid },
        { blobs: ctx.blobs, upscaler, ffmpegPath: ctx.env.FFMPEG_PATH, ffprobePath: ctx.env.FFPROBE_PATH },
        { onProgress: report },
      ),
    );

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
      query: ProgressQuery,
      response: PolishResponse,
      handler: async ({ body, query, caller, log }) => {
        assertMayPolish(body.videoPath, caller, ctx.buckets.media);
        const started = Date.now();
        const uid = caller.kind === 'user' ? caller.uid : undefined;
        const result = await runTracked(ctx.docs, POLISH_PROGRESS, { caller, jobId: query?.jobId, log }, (onProgress) =>
          polish(body, uid, onProgress),
        );
        log.info({ polishKey: result.polishKey, cached: result.cached, ms: Date.now() - started }, 'polish finished');
        return result;
      },
    }),
    progressRoute(ctx.docs, POLISH_PROGRESS, { path: '/v1/polishes', noun: 'polish', response: PolishJobResponse }),
  ];
}

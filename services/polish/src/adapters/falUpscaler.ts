import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createFalClient } from '@fal-ai/client';
import { AppError, type BlobStore, createProviderCaller, type ProviderKeyResolver } from '@storyreel/shared';
import type { Upscaler } from '../upscaler.js';

export const FAL_UPSCALER_ENDPOINT = 'fal-ai/video-upscaler';
const FAL_QUEUE_URL = 'https://queue.fal.run';
/** The endpoint's largest scale factor. */
const MAX_SCALE = 8;
/** How long fal may read the source through its signed URL: a queued request can wait a while. */
const SOURCE_URL_SECONDS = 3600;
/** One attempt (queue wait + upscaling a movie frame by frame) may take this long. */
const ATTEMPT_TIMEOUT_MS = 20 * 60_000;

interface FalUpscalerOutput {
  video?: { url?: string };
}

export interface FalUpscalerDeps {
  keys: ProviderKeyResolver;
  blobs: BlobStore;
  /** Every request fal's client makes, and the download of its result, goes through this (tests point it at a fake). */
  fetch?: typeof fetch;
  pollIntervalMs?: number;
  timeoutMs?: number;
}

/**
 * Cloud upscaling with fal's video upscaler (Real-ESRGAN per frame), called
 * with the user's own fal key when they stored one. fal reads the source
 * through a signed URL and returns a larger video, which is downloaded; the
 * polish graph then scales it to exactly the target size (fal scales by a
 * factor) and takes the sound from the original, which fal does not promise
 * to keep.
 */
export function falUpscaler(deps: FalUpscalerDeps): Upscaler {
  const fetchFn = deps.fetch ?? fetch;
  const call = createProviderCaller({
    provider: 'fal',
    keys: deps.keys,
    timeoutMs: deps.timeoutMs ?? ATTEMPT_TIMEOUT_MS,
    endpoint: `${FAL_QUEUE_URL}/${FAL_UPSCALER_ENDPOINT}`,
  });
  return {
    name: FAL_UPSCALER_ENDPOINT,
    async plan({ source, target, uid, workDir, signal }) {
      const videoUrl = await deps.blobs.signedUrl(source.gsPath, SOURCE_URL_SECONDS);
      const scale = Math.min(MAX_SCALE, Math.ceil((target.height / source.size.height) * 100) / 100);
      const output = await call({ userId: uid, signal }, async (attempt) => {
        const fal = createFalClient({ credentials: attempt.credential.apiKey, fetch: fetchFn });
        const result = await fal.subscribe(FAL_UPSCALER_ENDPOINT, {
          input: { video_url: videoUrl, scale },
          abortSignal: attempt.signal,
          ...(deps.pollIntervalMs ? { pollInterval: deps.pollIntervalMs } : {}),
        });
        return result.data as FalUpscalerOutput;
      });
      const url = output.video?.url;
      if (!url) throw new AppError('unavailable', 'the fal upscaler answered without a video');
      const upscaled = join(workDir, 'upscaled.mp4');
      const response = await fetchFn(url, signal ? { signal } : {});
      if (!response.ok || !response.body) {
        throw new AppError('unavailable', `could not download the upscaled video (HTTP ${response.status})`);
      }
      await pipeline(Readable.fromWeb(response.body as never), createWriteStream(upscaled), signal ? { signal } : {});
      return {
        videoInput: upscaled,
        filters: [`scale=${target.width}:${target.height}:flags=lanczos`],
      };
    },
  };
}

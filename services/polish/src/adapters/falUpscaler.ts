import { join } from 'node:path';
import { createFalClient } from '@fal-ai/client';
import {
  AppError,
  adapterCaller,
  type BlobStore,
  type ProviderAdapterOptions,
  type SsrfGuardOptions,
} from '@storyreel/shared';
import { z } from 'zod';
import type { Upscaler } from '../upscaler.js';
import { downloadProviderFile } from './providerDownload.js';

export const FAL_UPSCALER_ENDPOINT = 'fal-ai/video-upscaler';
const PRODUCTION_QUEUE_URL = 'https://queue.fal.run';
/** The endpoint's largest scale factor. */
const MAX_SCALE = 8;
/** How long fal may read the source through its signed URL: a queued request can wait a while. */
const SOURCE_URL_SECONDS = 3600;
/** One attempt (queue wait + upscaling a movie frame by frame) may take this long. */
const DEFAULT_TIMEOUT_MS = 20 * 60_000;
/** A 15-minute 4K movie at a generous bitrate. */
const MAX_DOWNLOAD_BYTES = 8 * 1024 ** 3;

/** The part of fal's answer we use (fal's documented output of fal-ai/video-upscaler). */
const FalUpscalerOutput = z.object({ video: z.object({ url: z.string().url() }) });

export interface FalUpscalerOptions extends ProviderAdapterOptions {
  blobs: BlobStore;
  /** Where fal's queue is; a loopback fake in tests. */
  queueUrl?: string;
  pollIntervalMs?: number;
  /** How the result is downloaded (tests open their loopback server to it). */
  download?: SsrfGuardOptions;
}

/**
 * Cloud upscaling with fal's video upscaler (Real-ESRGAN per frame), called
 * with the user's own fal key when they stored one. fal reads the source
 * through a signed URL and answers with a link to a larger video, which is
 * downloaded through the SSRF guard; the polish graph then scales it to
 * exactly the target size (fal scales by a factor) and takes the sound from
 * the original, which fal does not promise to keep.
 */
export function falUpscaler(options: FalUpscalerOptions): Upscaler {
  const queueUrl = (options.queueUrl ?? PRODUCTION_QUEUE_URL).replace(/\/+$/, '');
  const call = adapterCaller('fal', `${queueUrl}/${FAL_UPSCALER_ENDPOINT}`, options, DEFAULT_TIMEOUT_MS);
  // The SDK always calls https://queue.fal.run; another queue URL (a test server) gets its requests instead.
  const falFetch: typeof fetch =
    queueUrl === PRODUCTION_QUEUE_URL
      ? fetch
      : (input, init) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          return fetch(`${queueUrl}${url.pathname}${url.search}`, init);
        };

  return {
    name: FAL_UPSCALER_ENDPOINT,
    async plan({ source, target, uid, workDir, signal }) {
      const videoUrl = await options.blobs.signedUrl(source.gsPath, SOURCE_URL_SECONDS);
      const scale = Math.min(MAX_SCALE, Math.ceil((target.height / source.size.height) * 100) / 100);
      const output = await call({ userId: uid, signal }, async (attempt) => {
        // The SDK's own retries stay on: they re-poll a queued request after a blip instead of paying for it again.
        const fal = createFalClient({ credentials: attempt.credential.apiKey, fetch: falFetch });
        const result = await fal.subscribe(FAL_UPSCALER_ENDPOINT, {
          input: { video_url: videoUrl, scale },
          abortSignal: attempt.signal,
          ...(options.pollIntervalMs ? { pollInterval: options.pollIntervalMs } : {}),
        });
        return result.data;
      });
      const parsed = FalUpscalerOutput.safeParse(output);
      if (!parsed.success) {
        throw new AppError('unavailable', 'fal answered without an upscaled video', {
          provider: 'fal',
          reason: 'malformed',
        });
      }
      const upscaled = join(workDir, 'upscaled.mp4');
      try {
        await downloadProviderFile(parsed.data.video.url, upscaled, {
          maxBytes: MAX_DOWNLOAD_BYTES,
          ...(signal ? { signal } : {}),
          ...(options.download ? { guard: options.download } : {}),
        });
      } catch (err) {
        // The guard's 400s are about a URL the user never gave: to them it is fal failing.
        if (err instanceof AppError && err.code === 'invalid_argument') {
          throw new AppError('unavailable', 'the video fal made could not be fetched', {
            provider: 'fal',
            reason: 'remote_file_refused',
            upstream: err.message,
          });
        }
        throw err;
      }
      return {
        videoInput: upscaled,
        filters: [`scale=${target.width}:${target.height}:flags=lanczos`],
      };
    },
  };
}

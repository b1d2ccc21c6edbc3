import { createFalClient } from '@fal-ai/client';
import {
  AppError,
  adapterCaller,
  type ProviderAdapterOptions,
  type PullImageOptions,
  pullRemoteImage,
} from '@storyreel/shared';
import { z } from 'zod';
import { styledPrompt } from '../imagePrompt.js';
import type { ImageProvider, ImageRequest } from '../imageProvider.js';
import { styleOf } from '../styles.js';

/**
 * Scene pictures from a fal text-to-image model (FLUX schnell by default).
 * fal answers with links to its CDN; the picture is pulled server-side
 * through the SSRF guard (a URL in a provider's answer is outside input)
 * and stored in our media bucket by the caller.
 */
export interface FalImagesOptions extends ProviderAdapterOptions {
  /** Where the model runs; a loopback fake in tests. */
  baseUrl?: string;
  model?: string;
  /** How the picture is pulled (tests open their loopback server to it). */
  pull?: PullImageOptions;
}

const PRODUCTION_URL = 'https://fal.run';

/** The part of fal's image answer we use (documented for the FLUX endpoints). */
const FalImageOutput = z.object({
  images: z.array(z.object({ url: z.string().url(), content_type: z.string().optional() })).min(1),
});

export function falImages(options: FalImagesOptions): ImageProvider {
  const baseUrl = (options.baseUrl ?? PRODUCTION_URL).replace(/\/+$/, '');
  const model = options.model ?? 'fal-ai/flux/schnell';
  const call = adapterCaller('fal', baseUrl, options, 90_000);

  // The SDK always calls https://fal.run; another base URL (a test server) gets its requests instead.
  const falFetch: typeof fetch =
    baseUrl === PRODUCTION_URL
      ? fetch
      : (input, init) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          return fetch(`${baseUrl}${url.pathname}${url.search}`, init);
        };

  return {
    id: `fal:${model}`,
    version: '1',
    async generate(prompt: string, request: ImageRequest, context = {}): Promise<Buffer> {
      const output = await call(context, async ({ credential, signal }) => {
        // Retries are ours (shared policy and breaker), not the SDK's.
        const fal = createFalClient({ credentials: credential.apiKey, retry: { maxRetries: 0 }, fetch: falFetch });
        const result = await fal.run(model, {
          input: {
            prompt: styledPrompt(prompt, styleOf(request.style)),
            image_size: { width: request.width, height: request.height },
            seed: request.seed,
            num_images: 1,
            output_format: 'jpeg',
            enable_safety_checker: true,
          },
          abortSignal: signal,
        });
        return result.data;
      });
      const parsed = FalImageOutput.safeParse(output);
      if (!parsed.success) {
        throw new AppError('unavailable', 'fal answered without a picture', { provider: 'fal', reason: 'malformed' });
      }
      try {
        return (await pullRemoteImage((parsed.data.images[0] as { url: string }).url, options.pull)).body;
      } catch (err) {
        // The guard's 400s are about a URL the user never gave: to them it is fal failing.
        if (err instanceof AppError && err.code === 'invalid_argument') {
          throw new AppError('unavailable', 'the picture fal made could not be fetched', {
            provider: 'fal',
            reason: 'remote_image_refused',
            upstream: err.message,
          });
        }
        throw err;
      }
    },
  };
}

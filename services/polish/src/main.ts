import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadEnvOrExit } from '@storyreel/config';
import { createService, providerKeyResolverFor, type ServiceContext } from '@storyreel/shared';
import { falUpscaler } from './adapters/falUpscaler.js';
import { polishRoutes } from './routes.js';

const env = loadEnvOrExit();

/** PROVIDERS=cloud upscales with fal (the user's key, else the platform's); offline, inside FFmpeg. */
const upscalerFor = (ctx: ServiceContext) =>
  env.PROVIDERS === 'cloud' ? falUpscaler({ keys: providerKeyResolverFor(ctx), blobs: ctx.blobs }) : undefined;

await createService({
  name: 'polish',
  env,
  routes: (ctx) => polishRoutes(ctx, { upscaler: upscalerFor(ctx) }),
  checks: {
    ffmpeg: async () => {
      await promisify(execFile)(env.FFMPEG_PATH, ['-hide_banner', '-version'], { timeout: 10_000 });
    },
  },
}).listen();

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadEnvOrExit } from '@storyreel/config';
import { createService } from '@storyreel/shared';
import { renderRoutes } from './routes.js';

const env = loadEnvOrExit();
await createService({
  name: 'render',
  env,
  routes: renderRoutes,
  checks: {
    ffmpeg: async () => {
      await promisify(execFile)(env.FFMPEG_PATH, ['-hide_banner', '-version'], { timeout: 10_000 });
    },
  },
}).listen();

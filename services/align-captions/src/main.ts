import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadEnvOrExit } from '@storyreel/config';
import { createService } from '@storyreel/shared';
import { dtwAligner } from './adapters/dtwAligner.js';
import { alignCaptionsRoutes } from './routes.js';

const env = loadEnvOrExit();
const aligner = dtwAligner({ ffmpegPath: env.FFMPEG_PATH });
await createService({
  name: 'align-captions',
  env,
  routes: alignCaptionsRoutes(aligner),
  checks: {
    ffmpeg: async () => {
      await promisify(execFile)(env.FFMPEG_PATH, ['-version']);
    },
  },
}).listen();

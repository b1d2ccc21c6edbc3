import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadEnvOrExit } from '@storyreel/config';
import { createService } from '@storyreel/shared';
import { alignerFor } from './alignerFor.js';
import { alignCaptionsRoutes } from './routes.js';

const env = loadEnvOrExit();
await createService({
  name: 'align-captions',
  env,
  // A cloud aligner needs the service's mesh client (to ask api-key for a user's key).
  routes: (ctx) => alignCaptionsRoutes(alignerFor(ctx))(ctx),
  checks: {
    ffmpeg: async () => {
      await promisify(execFile)(env.FFMPEG_PATH, ['-version']);
    },
  },
}).listen();

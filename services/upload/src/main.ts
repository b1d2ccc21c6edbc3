import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadEnvOrExit } from '@storyreel/config';
import { createService } from '@storyreel/shared';
import { uploadRoutes } from './routes.js';
import { sweepExpiredSessions } from './sessionSweeper.js';

/** Often enough that abandoned chunks do not linger long past their session's expiry. */
const SWEEP_EVERY_MS = 15 * 60_000;

const env = loadEnvOrExit();
let sweeper: NodeJS.Timeout | undefined;
const service = createService({
  name: 'upload',
  env,
  routes: uploadRoutes,
  checks: {
    ffprobe: async () => {
      await promisify(execFile)(env.FFPROBE_PATH, ['-version'], { timeout: 10_000 });
    },
  },
  onClose: async () => clearInterval(sweeper),
});
await service.listen();

const sweep = () => {
  const { docs, blobs, buckets, logger } = service.ctx;
  sweepExpiredSessions({ docs, blobs, mediaBucket: buckets.media }).then(
    (removed) => removed > 0 && logger.info({ removed }, 'expired upload sessions removed'),
    (err: unknown) => logger.error({ err }, 'upload session sweep failed'),
  );
};
sweeper = setInterval(sweep, SWEEP_EVERY_MS);
sweeper.unref();
sweep();

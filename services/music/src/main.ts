import { access, constants } from 'node:fs/promises';
import { loadEnvOrExit } from '@storyreel/config';
import { createService, runFfmpeg } from '@storyreel/shared';
import { musicRoutes } from './routes.js';
import { soundtrackSourceFor } from './soundtrackSourceFor.js';
import { loadSoundBank } from './synth.js';

const env = loadEnvOrExit();
const service = createService({
  name: 'music',
  env,
  // A cloud source needs the service's mesh client (to ask api-key for a user's key).
  routes: (ctx) => musicRoutes(ctx, soundtrackSourceFor(ctx)),
  checks: {
    ffmpeg: async () => {
      await runFfmpeg(['-version'], { ffmpegPath: env.FFMPEG_PATH, timeoutMs: 10_000 });
    },
    soundfont: () => access(env.SOUNDFONT_PATH, constants.R_OK),
  },
});
await service.listen();
// Parsed after listening so health checks pass at once; the first soundtrack then finds the bank ready.
loadSoundBank(env.SOUNDFONT_PATH).catch((err: unknown) =>
  service.ctx.logger.error({ err }, 'sound bank failed to load'),
);

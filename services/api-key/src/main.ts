import { loadEnvOrExit } from '@storyreel/config';
import { createService } from '@storyreel/shared';
import { createKek } from './kek/createKek.js';
import { rewrapStaleKeys } from './kekRotation.js';
import { apiKeyRoutes } from './routes.js';

const env = loadEnvOrExit();
const kek = createKek(env);
const service = createService({ name: 'api-key', env, routes: (ctx) => apiKeyRoutes(ctx, { kek }) });
await service.listen();

// Finishes a re-wrap that a stopped instance left half done, or follows a scheduled KMS rotation.
const { docs, logger } = service.ctx;
rewrapStaleKeys({ docs, kek, logger }).then(
  (report) => logger.info({ ...report }, 'stored keys checked against the current KEK version'),
  (err) => logger.error({ err: (err as Error).message }, 'start-up re-wrap failed'),
);

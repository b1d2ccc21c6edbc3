import { createService } from '@storyreel/shared';
import { espeakEngine } from './adapters/espeakEngine.js';
import { narrateRoutes } from './routes.js';

const engine = espeakEngine();
const service = createService({
  name: 'narrate',
  routes: narrateRoutes(engine),
  checks: { espeak: () => engine.warm() },
});
await service.listen();
// After listening, so the liveness probe answers at once; the first narration then finds eSpeak loaded.
engine.warm().catch((err: unknown) => service.ctx.logger.error({ err }, 'eSpeak warm-up failed'));

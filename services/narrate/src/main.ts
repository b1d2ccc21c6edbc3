import { createService } from '@storyreel/shared';
import { narrateRoutes } from './routes.js';
import type { SpeechEngine } from './speechEngine.js';
import { speechEngineFor } from './speechEngineFor.js';

let engine: SpeechEngine | undefined;
const service = createService({
  name: 'narrate',
  // A cloud engine needs the service's mesh client (to ask api-key for a user's key).
  routes: (ctx) => {
    engine = speechEngineFor(ctx);
    return narrateRoutes(engine)(ctx);
  },
  checks: { speech: async () => engine?.warm() },
});
await service.listen();
// After listening, so the liveness probe answers at once; the first narration then finds the engine loaded.
engine?.warm().catch((err: unknown) => service.ctx.logger.error({ err }, 'speech engine warm-up failed'));

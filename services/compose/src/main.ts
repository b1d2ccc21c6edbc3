import { createService } from '@storyreel/shared';
import { type ComposeProviders, composeProviders } from './composeProviders.js';
import { type JobWorker, movieJobDeps, startJobWorker } from './jobs/index.js';
import { composeRoutes } from './routes.js';

let providers: ComposeProviders | undefined;
let worker: JobWorker | undefined;
const service = createService({
  name: 'compose',
  // The cloud adapters need the service's mesh client (to ask api-key for a user's key).
  routes: (ctx) => {
    providers = composeProviders(ctx);
    return composeRoutes(providers.images, providers.planner)(ctx);
  },
  // Running jobs go back to the queue at once instead of waiting out their lease.
  onClose: async () => worker?.stop(),
});
await service.listen();
if (service.ctx.env.JOB_WORKER === 'in-process' && providers) {
  worker = startJobWorker(service.ctx, movieJobDeps(service.ctx, providers.images));
}

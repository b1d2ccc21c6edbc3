import { createService } from '@storyreel/shared';
import { createIllustrator } from './adapters/illustrator.js';
import { type JobWorker, movieJobDeps, startJobWorker } from './jobs/index.js';
import { composeRoutes } from './routes.js';

const illustrator = createIllustrator();
let worker: JobWorker | undefined;
const service = createService({
  name: 'compose',
  routes: composeRoutes(illustrator),
  // Running jobs go back to the queue at once instead of waiting out their lease.
  onClose: async () => worker?.stop(),
});
await service.listen();
if (service.ctx.env.JOB_WORKER === 'in-process') {
  worker = startJobWorker(service.ctx, movieJobDeps(service.ctx, illustrator));
}

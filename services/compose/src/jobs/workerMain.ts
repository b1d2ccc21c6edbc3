import { createService } from '@storyreel/shared';
import { composeProviders } from '../composeProviders.js';
import { type JobWorker, startJobWorker } from './index.js';
import { movieJobDeps } from './movieJobDeps.js';

/**
 * The movie job worker as a process of its own, without HTTP: more workers
 * for the local mesh, and a process that can be killed mid-job to show
 * another one resume it.
 */
let worker: JobWorker | undefined;
const service = createService({ name: 'compose', routes: () => [], onClose: async () => worker?.stop() });
worker = startJobWorker(service.ctx, movieJobDeps(service.ctx, composeProviders(service.ctx).images));
service.ctx.logger.info({ workerId: worker.id, pid: process.pid }, 'movie job worker started');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    // Running jobs go back to the queue at once instead of waiting out their lease.
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        service.ctx.logger.error({ err }, 'worker shutdown failed');
        process.exit(1);
      },
    );
  });
}

import type { DocStore, Logger } from '@storyreel/shared';
import type { JobQueue, JobWorker } from './jobQueue.js';
import type { JobRunner } from './jobRunner.js';
import { jobStoreFor } from './jobStore.js';

export interface PollingSettings {
  /** How often an idle worker looks for claimable jobs (queued, or abandoned by a dead worker). */
  pollMs: number;
  /** Jobs one worker runs at once. */
  concurrency: number;
}

export const DEFAULT_POLLING_SETTINGS: PollingSettings = { pollMs: 500, concurrency: 1 };

/**
 * The local JobQueue: the DocStore is the queue. Enqueueing only wakes this
 * process's worker early; workers in any process find queued jobs, and jobs
 * whose lease ran out, by polling.
 */
export function pollingJobQueue(docs: DocStore, logger: Logger, settings: Partial<PollingSettings> = {}): JobQueue {
  const store = jobStoreFor(docs);
  const { pollMs, concurrency } = { ...DEFAULT_POLLING_SETTINGS, ...settings };
  return {
    async enqueue(jobId) {
      store.queued(jobId);
    },
    consume: (runner) => startPolling(runner, { pollMs, concurrency }, logger, (wake) => store.onQueued(wake)),
  };
}

function startPolling(
  runner: JobRunner,
  settings: PollingSettings,
  logger: Logger,
  onQueued: (wake: () => void) => () => void,
): JobWorker {
  const stop = new AbortController();
  const running = new Set<Promise<unknown>>();
  let wake = () => {};
  const unsubscribe = onQueued(() => wake());

  const idle = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, settings.pollMs);
      function done() {
        clearTimeout(timer);
        stop.signal.removeEventListener('abort', done);
        wake = () => {};
        resolve();
      }
      wake = done;
      stop.signal.addEventListener('abort', done);
    });

  const loop = (async () => {
    while (!stop.signal.aborted) {
      if (running.size < settings.concurrency) {
        try {
          const claimed = await runner.claimNext();
          // Claimed just as the worker stops: run() hands it straight back.
          if (claimed) {
            const run = runner
              .run(claimed, stop.signal)
              .then((end) => logger.info({ jobId: claimed.id, end }, 'job run ended'))
              .catch((err) => logger.error({ err, jobId: claimed.id }, 'job run crashed'))
              .finally(() => {
                running.delete(run);
                wake();
              });
            running.add(run);
            continue;
          }
        } catch (err) {
          logger.warn({ err }, 'looking for jobs failed; trying again');
        }
      }
      await idle();
    }
  })();

  return {
    id: runner.workerId,
    async stop() {
      stop.abort();
      unsubscribe();
      await loop;
      await Promise.allSettled([...running]);
    },
  };
}

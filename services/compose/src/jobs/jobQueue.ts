import type { JobRunner } from './jobRunner.js';

/**
 * JobQueue: how a queued job reaches a worker. Locally a lease-polling
 * worker over the DocStore (pollingJobQueue.ts); in production Cloud Tasks
 * pushing each job to compose's internal route (cloudTasksJobQueue.ts).
 * Both deliver at least once; the lease makes a second delivery harmless.
 */
export interface JobQueue {
  /** Asks for the job to be run. */
  enqueue(jobId: string): Promise<void>;
  /** Starts whatever brings jobs to this process's runner: a polling loop, or nothing for a push queue. */
  consume(runner: JobRunner): JobWorker;
}

export interface JobWorker {
  readonly id: string;
  /** Stops taking jobs, hands running ones back to the queue and resolves when they have stopped. */
  stop(): Promise<void>;
}

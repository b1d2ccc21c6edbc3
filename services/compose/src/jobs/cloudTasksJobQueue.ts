import { CloudTasksClient } from '@google-cloud/tasks';
import type { JobQueue } from './jobQueue.js';

export interface CloudTasksSettings {
  project: string;
  location: string;
  queue: string;
  /** compose's own URL: the task calls `<url>/internal/jobs/:id/run`, with an OIDC token for this audience. */
  targetUrl: string;
  /** The account the OIDC token is minted for; it needs run.invoker on compose. */
  serviceAccountEmail: string;
  /** How long Cloud Tasks waits for the run before it tries again (compose's Cloud Run timeout). */
  dispatchDeadlineSeconds?: number;
}

/** The one call the queue makes; CloudTasksClient has it, tests pass a fake. */
export interface TasksClient {
  createTask(request: {
    parent: string;
    task: {
      httpRequest: {
        httpMethod: 'POST';
        url: string;
        oidcToken: { serviceAccountEmail: string; audience: string };
      };
      dispatchDeadline: { seconds: number };
    };
  }): Promise<unknown>;
}

/**
 * The production JobQueue: each job becomes a Cloud Task pushed to
 * compose's internal route, which runs it inside that request (Cloud Run's
 * request timeout bounds a run; the lease lets a retried task resume it).
 * Cloud Tasks retries a task whose run did not answer 2xx.
 */
export function cloudTasksJobQueue(
  settings: CloudTasksSettings,
  client: TasksClient = new CloudTasksClient(),
): JobQueue {
  const parent = `projects/${settings.project}/locations/${settings.location}/queues/${settings.queue}`;
  const base = settings.targetUrl.replace(/\/+$/, '');
  return {
    async enqueue(jobId) {
      await client.createTask({
        parent,
        task: {
          httpRequest: {
            httpMethod: 'POST',
            url: `${base}/internal/jobs/${encodeURIComponent(jobId)}/run`,
            oidcToken: { serviceAccountEmail: settings.serviceAccountEmail, audience: base },
          },
          dispatchDeadline: { seconds: settings.dispatchDeadlineSeconds ?? 900 },
        },
      });
    },
    // Jobs arrive through the internal route; there is nothing to poll.
    consume: (runner) => ({ id: runner.workerId, stop: async () => {} }),
  };
}

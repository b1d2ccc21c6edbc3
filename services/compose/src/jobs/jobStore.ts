import { EventEmitter } from 'node:events';
import { type DocStore, type DocTransaction, notFound, type StoredDoc } from '@storyreel/shared';
import { ACTIVE_STATUSES, JOBS, type Job } from './job.js';

/**
 * The jobs collection, plus an in-process signal of every write made through
 * it: an SSE stream or a runner in this process hears a change at once, and
 * polls the store for changes made by other instances.
 */
export interface JobStore {
  readonly docs: DocStore;
  get(id: string): Promise<StoredDoc<Job> | null>;
  /**
   * Reads the job and writes the patch `change` returns (nothing when it
   * returns undefined), atomically: a write by anyone else in between makes
   * the store run `change` again on the fresh job. Throws what `change` throws.
   * `also` adds writes of other documents that commit with the job's.
   */
  mutate(
    id: string,
    change: (job: Job) => Partial<Job> | undefined,
    also?: (tx: DocTransaction, job: Job) => void,
  ): Promise<StoredDoc<Job>>;
  /** Jobs that are queued or running, oldest first. */
  active(): Promise<StoredDoc<Job>[]>;
  forProject(projectId: string, owner: string): Promise<StoredDoc<Job>[]>;
  /** Announces a write made outside `mutate` (a transaction that also wrote another document). */
  announce(doc: StoredDoc<Job>): void;
  onChange(id: string, listener: (doc: StoredDoc<Job>) => void): () => void;
  /** Wakes this process's workers when a job is queued. */
  onQueued(listener: (id: string) => void): () => void;
  queued(id: string): void;
}

const stores = new WeakMap<DocStore, JobStore>();

/** One JobStore per DocStore, so routes and workers of one service share its change signals. */
export function jobStoreFor(docs: DocStore): JobStore {
  let store = stores.get(docs);
  if (!store) {
    store = createJobStore(docs);
    stores.set(docs, store);
  }
  return store;
}

function createJobStore(docs: DocStore): JobStore {
  const events = new EventEmitter();
  // Every open SSE stream listens: many viewers of one job must not trip the leak warning.
  events.setMaxListeners(0);
  const subscribe = <A extends unknown[]>(event: string, listener: (...args: A) => void) => {
    events.on(event, listener as (...args: unknown[]) => void);
    return () => {
      events.off(event, listener as (...args: unknown[]) => void);
    };
  };
  const announce = (doc: StoredDoc<Job>) => {
    events.emit(`change:${doc.id}`, doc);
  };

  return {
    docs,
    get: (id) => docs.get<Job>(JOBS, id),

    async mutate(id, change, also) {
      const written = await docs.transaction(async (tx) => {
        const doc = await tx.get<Job>(JOBS, id);
        if (!doc) throw notFound('job');
        const patch = change(doc.data);
        if (!patch) return { doc, wrote: false };
        const updatedAt = new Date().toISOString();
        tx.update<Job>(JOBS, id, { ...patch, updatedAt });
        // As the store keeps it: JSON, with undefined fields gone.
        const data = JSON.parse(JSON.stringify({ ...doc.data, ...patch, updatedAt })) as Job;
        also?.(tx, data);
        return { doc: { id, data, version: doc.version + 1, updatedAt }, wrote: true };
      });
      if (written.wrote) announce(written.doc);
      return written.doc;
    },

    async active() {
      const found = await docs.query<Job>(JOBS, { where: [['status', 'in', ACTIVE_STATUSES]] });
      return found.sort((a, b) => a.data.createdAt.localeCompare(b.data.createdAt));
    },

    async forProject(projectId, owner) {
      const found = await docs.query<Job>(JOBS, {
        where: [
          ['projectId', '==', projectId],
          ['owner', '==', owner],
        ],
      });
      return found.sort((a, b) => b.data.createdAt.localeCompare(a.data.createdAt));
    },

    announce,
    onChange: (id, listener) => subscribe(`change:${id}`, listener),
    onQueued: (listener) => subscribe('queued', listener),
    queued: (id) => {
      events.emit('queued', id);
    },
  };
}

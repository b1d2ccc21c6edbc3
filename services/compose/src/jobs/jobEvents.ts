import type { StoredDoc } from '@storyreel/shared';
import type { Request, Response } from 'express';
import { isActive, type Job, jobView } from './job.js';
import type { JobStore } from './jobStore.js';

export interface EventStreamSettings {
  /** How often the stream reads the job, for writes made by other instances. */
  pollMs: number;
  /** Comment lines that keep proxies from closing a quiet stream. */
  heartbeatMs: number;
}

export const DEFAULT_EVENT_STREAM_SETTINGS: EventStreamSettings = { pollMs: 500, heartbeatMs: 15_000 };

/**
 * Server-sent events of one job until it ends: `job` (the job view) when its
 * status, stage, progress or error changes, `log` per log line (its `id` is
 * the line's seq, so a reconnecting EventSource gets only newer lines), and
 * `end` as the last event. Resolves when the stream is closed.
 */
export function streamJobEvents(
  req: Request,
  res: Response,
  store: JobStore,
  first: StoredDoc<Job>,
  settings: EventStreamSettings,
): Promise<void> {
  res.status(200).set({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Proxies (nginx, the local gateway) must pass events on as they come.
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();

  let lastVersion = 0;
  let lastState = '';
  let lastSeq = Number(req.get('last-event-id')) || 0;
  let ended = false;

  return new Promise<void>((resolve) => {
    const send = (event: string, data: unknown, id?: number) => {
      res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };

    const onDoc = (doc: StoredDoc<Job>) => {
      // The in-process signal and the poll both deliver writes; older or repeated versions are dropped.
      if (ended || doc.version <= lastVersion) return;
      lastVersion = doc.version;
      const job = doc.data;
      const state = JSON.stringify([job.status, job.stage, job.progress, job.error]);
      if (state !== lastState) {
        lastState = state;
        send('job', jobView(job, doc.version));
      }
      for (const line of job.logs) {
        if (line.seq > lastSeq) send('log', line, line.seq);
      }
      lastSeq = Math.max(lastSeq, job.logs[job.logs.length - 1]?.seq ?? 0);
      if (!isActive(job)) {
        ended = true;
        send('end', { status: job.status });
        res.end();
      }
    };

    const unsubscribe = store.onChange(first.id, onDoc);
    const poll = setInterval(() => {
      store.get(first.id).then(
        (doc) => {
          if (doc) onDoc(doc);
        },
        () => undefined,
      );
    }, settings.pollMs);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), settings.heartbeatMs);
    res.on('close', () => {
      clearInterval(poll);
      clearInterval(heartbeat);
      unsubscribe();
      resolve();
    });
    onDoc(first);
  });
}

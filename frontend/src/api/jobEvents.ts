import type { HttpClient } from './client';
import type { Job, JobLog } from './types';

export interface JobEventHandlers {
  onJob(job: Job): void;
  onLog(line: JobLog): void;
}

interface ServerEvent {
  event: string;
  data: string;
}

/** Splits a text/event-stream into events; returns what is left of an unfinished one. */
export function parseEvents(buffer: string, emit: (e: ServerEvent) => void): string {
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) emit({ event, data: data.join('\n') });
  }
  return rest;
}

/**
 * Follows a job's server-sent events until it ends. EventSource cannot send
 * the Authorization and App Check headers, so the stream is read with fetch.
 * Resolves when the stream ends (the job ended, or the connection dropped:
 * the caller reads the job again to tell which).
 */
export async function followJobEvents(
  http: HttpClient,
  jobId: string,
  handlers: JobEventHandlers,
  signal: AbortSignal,
): Promise<void> {
  const res = await http.fetch('compose', 'GET', `/v1/jobs/${encodeURIComponent(jobId)}/events`, {
    signal,
    headers: { accept: 'text/event-stream' },
  });
  const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) return;
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer = parseEvents(buffer + value, ({ event, data }) => {
        if (event === 'job') handlers.onJob(JSON.parse(data) as Job);
        else if (event === 'log') handlers.onLog(JSON.parse(data) as JobLog);
      });
    }
  } finally {
    reader.releaseLock();
  }
}

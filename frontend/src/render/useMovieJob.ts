import { useCallback, useEffect, useState } from 'react';
import { followJobEvents } from '../api/jobEvents';
import type { StoryreelApi } from '../api/storyreelApi';
import type { Job, JobLog, RenderOptions } from '../api/types';

export const isActive = (job: Job | null | undefined) => job?.status === 'queued' || job?.status === 'running';

const POLL_MS = 2000;
/** With no event for this long, the job is read directly (a proxy may hold a stream back until it ends). */
const QUIET_MS = 5000;

/**
 * The project's latest movie job, followed live. The job lives on the
 * server, so leaving the page and coming back finds it again (the newest job
 * of the project). Events come over SSE; when the stream drops, the job is
 * read again and followed anew; while the stream is quiet the job is polled
 * too, in case something between here and the service buffers the stream.
 */
export function useMovieJob(api: StoryreelApi, projectId: string, onError: (err: unknown) => void) {
  const [job, setJob] = useState<Job | null | undefined>(undefined);
  const [logs, setLogs] = useState<JobLog[]>([]);

  const addLog = useCallback((line: JobLog) => {
    setLogs((all) => (all.some((l) => l.seq === line.seq) ? all : [...all, line].slice(-200)));
  }, []);

  useEffect(() => {
    let live = true;
    api.projectJobs(projectId).then(
      (jobs) => live && setJob(jobs[0] ?? null),
      (err) => {
        if (!live) return;
        setJob(null);
        onError(err);
      },
    );
    return () => {
      live = false;
    };
  }, [api, projectId, onError]);

  const jobId = job?.id;
  const active = isActive(job);
  useEffect(() => {
    if (!jobId || !active) return;
    const stop = new AbortController();
    let lastHeard = Date.now();
    const heard =
      <T>(handle: (value: T) => void) =>
      (value: T) => {
        lastHeard = Date.now();
        handle(value);
      };
    const watchdog = setInterval(() => {
      if (Date.now() - lastHeard < QUIET_MS) return;
      lastHeard = Date.now();
      api.job(jobId).then(
        (fresh) => !stop.signal.aborted && setJob(fresh),
        () => undefined,
      );
    }, POLL_MS);
    stop.signal.addEventListener('abort', () => clearInterval(watchdog));
    (async () => {
      while (!stop.signal.aborted) {
        try {
          await followJobEvents(api.http, jobId, { onJob: heard(setJob), onLog: heard(addLog) }, stop.signal);
        } catch {
          if (stop.signal.aborted) return;
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
        if (stop.signal.aborted) return;
        const fresh = await api.job(jobId).catch(() => null);
        if (fresh) setJob(fresh);
        if (fresh && !isActive(fresh)) return;
      }
    })().finally(() => clearInterval(watchdog));
    return () => stop.abort();
  }, [api, jobId, active, addLog]);

  const start = useCallback(
    async (options: Partial<RenderOptions>) => {
      try {
        setLogs([]);
        setJob(await api.render(projectId, options));
      } catch (err) {
        onError(err);
      }
    },
    [api, projectId, onError],
  );

  const act = useCallback(
    async (action: (id: string) => Promise<Job>) => {
      if (!jobId) return;
      try {
        setJob(await action(jobId));
      } catch (err) {
        onError(err);
      }
    },
    [jobId, onError],
  );

  const loadLogs = useCallback(async () => {
    if (!jobId) return;
    try {
      for (const line of await api.jobLogs(jobId)) addLog(line);
    } catch (err) {
      onError(err);
    }
  }, [api, jobId, addLog, onError]);

  return {
    job,
    logs,
    start,
    cancel: () => act(api.cancelJob),
    retry: () => act(api.retryJob),
    loadLogs,
  };
}

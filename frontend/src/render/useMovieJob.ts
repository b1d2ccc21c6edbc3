import { useCallback, useEffect, useRef, useState } from 'react';
import { followJobEvents } from '../api/jobEvents';
import type { StoryreelApi } from '../api/storyreelApi';
import type { Job, JobLog, RenderOptions } from '../api/types';

export const isActive = (job: Job | null | undefined) => job?.status === 'queued' || job?.status === 'running';

const POLL_MS = 2000;

/**
 * The project's latest movie job, followed live. The job lives on the
 * server, so leaving the page and coming back finds it again (the newest job
 * of the project). Events come over SSE; when the stream drops, the job is
 * read again and followed anew, falling back to polling.
 */
export function useMovieJob(api: StoryreelApi, projectId: string, onError: (err: unknown) => void) {
  const [job, setJob] = useState<Job | null | undefined>(undefined);
  const [logs, setLogs] = useState<JobLog[]>([]);
  const followed = useRef<string | null>(null);

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
    if (!jobId || !active || followed.current === jobId) return;
    followed.current = jobId;
    const stop = new AbortController();
    (async () => {
      while (!stop.signal.aborted) {
        try {
          await followJobEvents(api.http, jobId, { onJob: setJob, onLog: addLog }, stop.signal);
        } catch {
          if (stop.signal.aborted) return;
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
        if (stop.signal.aborted) return;
        const fresh = await api.job(jobId).catch(() => null);
        if (fresh) setJob(fresh);
        if (fresh && !isActive(fresh)) return;
      }
    })().finally(() => {
      if (followed.current === jobId) followed.current = null;
    });
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

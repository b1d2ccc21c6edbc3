import { useEffect, useId, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Quota, RenderOptions } from '../api/types';
import { useApi } from '../app/session';
import { Icon } from '../components/Icon';
import { Skeleton } from '../components/Skeleton';
import { useToast } from '../components/Toasts';
import { formatDuration } from '../lib/storyLength';
import { JobStages, STAGES } from '../render/JobStages';
import { isActive, useMovieJob } from '../render/useMovieJob';
import { useLoadedProject } from '../wizard/ProjectContext';
import { stepPath } from '../wizard/steps';

const QUALITIES: { id: RenderOptions['quality']; label: string; hint: string }[] = [
  { id: 'draft', label: 'Draft', hint: 'Fastest, to check the story' },
  { id: 'standard', label: 'Standard', hint: 'Balanced' },
  { id: 'high', label: 'High', hint: 'Best picture, slower' },
];

const STATUS_TITLES = {
  queued: 'Waiting for a free studio…',
  running: 'Making your movie',
  succeeded: 'Your movie is ready',
  failed: 'Something went wrong',
  cancelled: 'Stopped',
};

function stageLabel(stage: string): string {
  return STAGES.find((s) => (s.steps as string[]).includes(stage))?.label ?? stage;
}

export function RenderScreen() {
  const api = useApi();
  const toast = useToast();
  const navigate = useNavigate();
  const { project, settled } = useLoadedProject();
  const { job, logs, start, cancel, retry, loadLogs } = useMovieJob(api, project.id, toast.error);
  const [options, setOptions] = useState<Pick<RenderOptions, 'quality' | 'resolution' | 'gif'>>({
    quality: 'standard',
    resolution: '720p',
    gif: false,
  });
  const [starting, setStarting] = useState(false);
  const [quota, setQuota] = useState<Quota | null>(null);
  // Only a hint beside the button: the render route itself refuses when nothing is left (429).
  useEffect(() => {
    api.quota().then(setQuota, () => setQuota(null));
  }, [api]);
  const spent = quota !== null && quota.remaining <= 0;
  const ids = useId();

  const begin = async () => {
    setStarting(true);
    // A voice or mood picked a moment ago must be saved before the movie reads the project.
    await settled();
    await start(options);
    setStarting(false);
  };
  const failedStep = job ? Object.entries(job.steps).find(([, s]) => s.status === 'failed')?.[0] : undefined;
  const seconds = project.scenes.reduce((sum, s) => sum + s.durationSeconds, 0);

  if (job === undefined) {
    return (
      <section className="screen" aria-busy="true">
        <div className="panel" role="status" aria-label="Loading the movie's progress">
          <Skeleton lines={5} />
        </div>
      </section>
    );
  }

  const showStart = !job || (!isActive(job) && job.status !== 'failed');
  return (
    <section className="screen">
      <header className="screen-header">
        <p className="eyebrow">Step 5 · {project.title}</p>
        <h1>{job ? STATUS_TITLES[job.status] : 'Ready to make your movie'}</h1>
        <p className="lede">
          {job && isActive(job)
            ? 'You can close this page: your movie keeps being made, and it will be here when you come back.'
            : `${project.scenes.length} scenes, about ${formatDuration(seconds)}.`}
        </p>
      </header>

      {job && (
        <div className="panel render-panel">
          <div className="progress-head">
            <span>{isActive(job) ? stageLabel(job.stage) : STATUS_TITLES[job.status]}</span>
            <span className="progress-percent">{job.progress}%</span>
          </div>
          <div
            className={`progress progress-${job.status}`}
            role="progressbar"
            aria-label="Movie progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={job.progress}
            aria-valuetext={`${job.progress}%, ${stageLabel(job.stage)}`}
          >
            <span style={{ width: `${job.progress}%` }} />
          </div>
          <JobStages job={job} />
          {job.status === 'failed' && (
            <div className="notice notice-error" role="alert">
              <strong>{failedStep ? `${stageLabel(failedStep)} failed.` : 'The movie failed.'}</strong>{' '}
              {job.error ?? 'No reason was given.'} Nothing was charged for this try.
            </div>
          )}
          <div className="actions actions-inline">
            {isActive(job) && (
              <button type="button" className="btn btn-danger" onClick={() => void cancel()}>
                Cancel
              </button>
            )}
            {(job.status === 'failed' || job.status === 'cancelled') && (
              <button type="button" className="btn btn-primary" onClick={() => void retry()}>
                {failedStep ? `Retry from ${stageLabel(failedStep).toLowerCase()}` : 'Resume'}
              </button>
            )}
            {job.status === 'succeeded' && (
              <button
                type="button"
                className="btn btn-primary btn-large"
                onClick={() => navigate(stepPath(project.id, 'watch'))}
              >
                <Icon name="play" /> Watch your movie
              </button>
            )}
          </div>
          <details
            className="job-log"
            onToggle={(e) => {
              if ((e.target as HTMLDetailsElement).open) void loadLogs();
            }}
          >
            <summary>Show the log</summary>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling log must be reachable by keyboard (WCAG 2.1.1) */}
            <ol aria-label="Job log" tabIndex={0}>
              {logs.map((line) => (
                <li key={line.seq} className={`log-${line.level}`}>
                  <time dateTime={line.at}>{new Date(line.at).toLocaleTimeString()}</time> {line.message}
                </li>
              ))}
            </ol>
          </details>
        </div>
      )}

      {showStart && (
        <div className="panel">
          <h2 className="panel-title">{job ? 'Make it again' : 'Quality'}</h2>
          <fieldset className="field">
            <legend className={job ? undefined : 'visually-hidden'}>Quality</legend>
            <div className="choice-row">
              {QUALITIES.map((q) => (
                <label key={q.id} className={`choice${options.quality === q.id ? ' selected' : ''}`}>
                  <input
                    type="radio"
                    name={`${ids}-quality`}
                    checked={options.quality === q.id}
                    onChange={() => setOptions((o) => ({ ...o, quality: q.id }))}
                  />
                  <span>
                    {q.label} <small>{q.hint}</small>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="options-grid">
            <div className="field">
              <label htmlFor={`${ids}-resolution`}>Resolution</label>
              <select
                id={`${ids}-resolution`}
                className="input input-small"
                value={options.resolution}
                onChange={(e) =>
                  setOptions((o) => ({ ...o, resolution: e.target.value as RenderOptions['resolution'] }))
                }
              >
                <option value="720p">720p</option>
                <option value="1080p">1080p</option>
              </select>
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={options.gif}
                onChange={(e) => setOptions((o) => ({ ...o, gif: e.target.checked }))}
              />
              Also make a GIF
            </label>
          </div>
          <div className="actions">
            <button type="button" className="btn btn-ghost" onClick={() => navigate(stepPath(project.id, 'music'))}>
              ← Music
            </button>
            {quota && (
              <p className="hint quota-hint">
                {spent
                  ? `You've made all ${quota.limit} movies of today's ${quota.plan} plan. More from ${new Date(quota.resetsAt).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })}.`
                  : `${quota.remaining} of ${quota.limit} movies left today. A failed movie costs nothing.`}
              </p>
            )}
            <button
              type="button"
              className="btn btn-primary btn-large"
              disabled={starting || spent}
              onClick={() => void begin()}
            >
              {starting ? (
                'Starting…'
              ) : (
                <>
                  <Icon name="film" /> Make my movie
                </>
              )}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

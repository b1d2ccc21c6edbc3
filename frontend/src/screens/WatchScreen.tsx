import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/apiError';
import type { Job, JobMedia, Publication } from '../api/types';
import { useApi } from '../app/session';
import { Icon } from '../components/Icon';
import { Skeleton } from '../components/Skeleton';
import { useToast } from '../components/Toasts';
import { formatDuration } from '../lib/storyLength';
import { useLoadedProject } from '../wizard/ProjectContext';
import { stepPath } from '../wizard/steps';

const fileName = (title: string, ext: string) =>
  `${title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'movie'}.${ext}`;

function SharePanel({ projectId, job }: { projectId: string; job: Job }) {
  const api = useApi();
  const toast = useToast();
  const [publication, setPublication] = useState<Publication | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.publication(projectId).then(setPublication, (err) => {
      if (err instanceof ApiError && err.status === 404) setPublication(null);
      else toast.error(err);
    });
  }, [api, projectId, toast]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  };
  const publish = () =>
    run(async () => {
      setPublication(await api.publish(projectId, job.id));
      toast.show('Published. Anyone with the link can watch it.', 'success');
    });
  const unpublish = () =>
    run(async () => {
      await api.unpublish(projectId);
      setPublication(null);
      toast.show('Unpublished. The share link no longer plays the movie.', 'success');
    });
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      toast.show('Link copied.', 'success');
    } catch {
      toast.show('Select the link and copy it.');
    }
  };

  if (publication === undefined) return <Skeleton lines={2} />;
  if (!publication) {
    return (
      <div className="share">
        <p>Publish to get a link that plays anywhere and unfurls in chats and social posts.</p>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void publish()}>
          {busy ? 'Publishing…' : 'Publish and get a link'}
        </button>
      </div>
    );
  }
  const outdated = publication.jobId !== job.id;
  return (
    <div className="share">
      <label htmlFor="share-link">Share link</label>
      <div className="copy-row">
        <input
          id="share-link"
          className="input"
          readOnly
          value={publication.shareUrl}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="btn btn-secondary" onClick={() => void copy(publication.shareUrl)}>
          Copy link
        </button>
      </div>
      <div className="actions actions-inline">
        <a className="btn btn-ghost" href={publication.shareUrl} target="_blank" rel="noreferrer">
          Open share page ↗
        </a>
        {outdated && (
          <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void publish()}>
            Publish this version
          </button>
        )}
        <button type="button" className="btn btn-danger-ghost" disabled={busy} onClick={() => void unpublish()}>
          Unpublish
        </button>
      </div>
    </div>
  );
}

export function WatchScreen() {
  const api = useApi();
  const toast = useToast();
  const { project } = useLoadedProject();
  const [job, setJob] = useState<Job | null | undefined>(undefined);
  const [media, setMedia] = useState<JobMedia | null>(null);

  const load = useCallback(async () => {
    try {
      const made = (await api.projectJobs(project.id)).find((j) => j.status === 'succeeded') ?? null;
      setJob(made);
      if (made) setMedia(await api.jobMedia(made.id));
    } catch (err) {
      setJob(null);
      toast.error(err);
    }
  }, [api, project.id, toast]);
  useEffect(() => {
    void load();
  }, [load]);

  if (job === undefined || (job && !media)) {
    return (
      <section className="screen" aria-busy="true">
        <div className="player-frame skeleton-media" role="status" aria-label="Loading your movie" />
        <Skeleton lines={2} />
      </section>
    );
  }
  if (!job || !media) {
    return (
      <section className="screen">
        <div className="panel empty">
          <h1>No movie yet</h1>
          <p>Make the movie first; it will play here.</p>
          <Link className="btn btn-primary" to={stepPath(project.id, 'render')}>
            Go to Render
          </Link>
        </div>
      </section>
    );
  }
  const portrait = (job.result?.height ?? 0) > (job.result?.width ?? 0);
  return (
    <section className="screen">
      <header className="screen-header">
        <p className="eyebrow">Step 6</p>
        <h1>{project.title}</h1>
        <p className="lede">
          {job.result ? `${formatDuration(job.result.durationSeconds)} · ${job.result.width}×${job.result.height}` : ''}
        </p>
      </header>
      <div className={`player-frame${portrait ? ' portrait' : ''}`}>
        {/* biome-ignore lint/a11y/useMediaCaption: the captions track is added when the movie has captions */}
        <video
          controls
          playsInline
          preload="metadata"
          poster={media.posterUrl ?? undefined}
          src={media.videoUrl}
          crossOrigin={crossOriginOf(media.videoUrl)}
        >
          {media.captions && (
            <track kind="captions" src={media.captions.vttUrl} srcLang={project.language} label="Captions" default />
          )}
        </video>
      </div>
      <div className="watch-grid">
        <div className="panel">
          <h2 className="panel-title">Download</h2>
          <div className="actions actions-inline">
            <a className="btn btn-secondary" href={media.videoUrl} download={fileName(project.title, 'mp4')}>
              <Icon name="download" /> MP4 video
            </a>
            {media.gifUrl ? (
              <a className="btn btn-secondary" href={media.gifUrl} download={fileName(project.title, 'gif')}>
                <Icon name="download" /> GIF
              </a>
            ) : (
              <Link className="btn btn-ghost" to={stepPath(project.id, 'render')}>
                Make a GIF too
              </Link>
            )}
            {media.captions && (
              <a className="btn btn-ghost" href={media.captions.srtUrl} download={fileName(project.title, 'srt')}>
                <Icon name="download" /> Subtitles (SRT)
              </a>
            )}
          </div>
        </div>
        <div className="panel">
          <h2 className="panel-title">Share</h2>
          <SharePanel projectId={project.id} job={job} />
        </div>
      </div>
    </section>
  );
}

/**
 * Signed storage URLs live on another origin in production: the captions
 * track loads only if the video is fetched with CORS (the buckets allow it,
 * DEPLOY.md); same-origin local URLs need nothing.
 */
function crossOriginOf(url: string): 'anonymous' | undefined {
  return new URL(url, window.location.href).origin === window.location.origin ? undefined : 'anonymous';
}

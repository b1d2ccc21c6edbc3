import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { Job, ProjectSummary } from '../api/types';
import { useApi } from '../app/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Icon } from '../components/Icon';
import { LoadingCards } from '../components/Skeleton';
import { useToast } from '../components/Toasts';
import { formatDuration } from '../lib/storyLength';
import { stepPath } from '../wizard/steps';

const STATUS_WORDS: Record<Job['status'], string> = {
  queued: 'Queued',
  running: 'Rendering',
  succeeded: 'Ready',
  failed: 'Failed',
  cancelled: 'Stopped',
};

function MovieCard({ movie, onChanged }: { movie: ProjectSummary; onChanged(): void }) {
  const api = useApi();
  const toast = useToast();
  const navigate = useNavigate();
  const [job, setJob] = useState<Job | null | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.projectJobs(movie.id).then(
      (jobs) => setJob(jobs[0] ?? null),
      () => setJob(null),
    );
  }, [api, movie.id]);

  async function duplicate() {
    setBusy(true);
    try {
      const source = await api.project(movie.id);
      const copy = await api.createProject({
        title: `${source.title} (copy)`.slice(0, 200),
        story: source.story,
        targetSeconds: source.targetSeconds,
        aspect: source.aspect,
        style: source.style,
      });
      const withSettings = await api.patchProject(copy.id, copy.version, {
        voice: source.voice,
        music: source.music,
      });
      await api.editScenes(
        copy.id,
        withSettings.version,
        source.scenes.map(({ text, imagePrompt, durationSeconds, motion, transition, seed }) => ({
          text,
          imagePrompt,
          durationSeconds,
          motion,
          transition,
          seed,
        })),
      );
      toast.show(`Made a copy of “${source.title}”.`, 'success');
      navigate(stepPath(copy.id, 'storyboard'));
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    try {
      await api.deleteProject(movie.id);
      toast.show(`Deleted “${movie.title}”.`, 'success');
      onChanged();
    } catch (err) {
      toast.error(err);
      setBusy(false);
    }
  }

  const open = job?.status === 'succeeded' ? 'watch' : job && job.status !== 'cancelled' ? 'render' : 'storyboard';
  return (
    <li className="card movie-card">
      <Link to={stepPath(movie.id, open)} className="movie-cover">
        {movie.coverUrl ? (
          <img src={movie.coverUrl} alt="" loading="lazy" />
        ) : (
          <span className="movie-cover-empty" aria-hidden="true">
            <Icon name="film" size={40} />
          </span>
        )}
        <span className="visually-hidden">Open {movie.title}</span>
      </Link>
      <div className="movie-body">
        <h2 className="movie-title">{movie.title}</h2>
        <p className="hint">
          {movie.sceneCount} scenes
          {movie.estimatedSeconds ? ` · ${formatDuration(movie.estimatedSeconds)}` : ''} · {movie.aspect}
        </p>
        <p>
          {job === undefined ? (
            <span className="badge">…</span>
          ) : (
            <span className={`badge badge-${job?.status ?? 'draft'}`}>
              {job ? `${STATUS_WORDS[job.status]}${job.status === 'running' ? ` ${job.progress}%` : ''}` : 'Draft'}
            </span>
          )}
        </p>
        <div className="actions actions-inline">
          <Link className="btn btn-secondary btn-small" to={stepPath(movie.id, open)}>
            Open
          </Link>
          <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={() => void duplicate()}>
            Duplicate
          </button>
          {confirming ? (
            <>
              <button type="button" className="btn btn-danger btn-small" disabled={busy} onClick={() => void remove()}>
                Delete for good
              </button>
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-danger-ghost btn-small" onClick={() => setConfirming(true)}>
              Delete
            </button>
          )}
        </div>
      </div>
    </li>
  );
}

export function MoviesScreen() {
  useDocumentTitle('My movies');
  const api = useApi();
  const toast = useToast();
  const [movies, setMovies] = useState<ProjectSummary[] | null>(null);
  const load = useCallback(() => {
    api.listProjects().then(setMovies, (err) => {
      setMovies([]);
      toast.error(err);
    });
  }, [api, toast]);
  useEffect(load, [load]);

  return (
    <section className="screen">
      <header className="screen-header screen-header-row">
        <div>
          <h1>My movies</h1>
          <p className="lede">Everything you've made, newest first.</p>
        </div>
        <Link className="btn btn-primary" to="/new">
          + New movie
        </Link>
      </header>
      {!movies ? (
        <LoadingCards count={3} label="Loading your movies" />
      ) : movies.length === 0 ? (
        <div className="panel empty">
          <h2>No movies yet</h2>
          <p>Your first one takes about a minute.</p>
          <Link className="btn btn-primary" to="/new">
            Start with a story
          </Link>
        </div>
      ) : (
        <ul className="card-grid movie-grid">
          {movies.map((m) => (
            <MovieCard key={m.id} movie={m} onChanged={load} />
          ))}
        </ul>
      )}
    </section>
  );
}

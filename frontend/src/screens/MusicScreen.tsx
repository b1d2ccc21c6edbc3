import { useEffect, useId, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Mood } from '../api/types';
import { useApi } from '../app/session';
import { Icon } from '../components/Icon';
import { LoadingCards } from '../components/Skeleton';
import { useToast } from '../components/Toasts';
import { useAudioPreview } from '../media/useAudioPreview';
import { useLoadedProject } from '../wizard/ProjectContext';
import { stepPath } from '../wizard/steps';

const DEFAULT_VOLUME = 0.35;

export function MusicScreen() {
  const api = useApi();
  const toast = useToast();
  const navigate = useNavigate();
  const { project, edit } = useLoadedProject();
  const [moods, setMoods] = useState<Mood[] | null>(null);
  const [volume, setVolume] = useState(project.music?.volume ?? DEFAULT_VOLUME);
  const preview = useAudioPreview(toast.error);
  const ids = useId();

  useEffect(() => {
    api.moods().then(setMoods, toast.error);
  }, [api, toast]);

  // Shown as chosen at once; put back if the change is refused.
  const [chosen, setChosen] = useState<string | null>(project.music?.mood ?? null);
  const choose = async (mood: string | null) => {
    setChosen(mood);
    const saved = await edit((p) => api.patchProject(p.id, p.version, { music: mood ? { mood, volume } : null }));
    setChosen((saved ?? project).music?.mood ?? null);
  };
  const saveVolume = () => {
    if (project.music && volume !== project.music.volume) {
      void edit((p) => api.patchProject(p.id, p.version, { music: { volume } }));
    }
  };
  const current = chosen;

  return (
    <section className="screen">
      <header className="screen-header">
        <p className="eyebrow">Step 4 · {project.title}</p>
        <h1>Set the mood</h1>
        <p className="lede">A soundtrack is composed for your movie and softened whenever the narrator speaks.</p>
      </header>

      <div className="panel toolbar">
        <div className="field field-grow">
          <label htmlFor={`${ids}-volume`}>
            Music volume, relative to the voice <output htmlFor={`${ids}-volume`}>{Math.round(volume * 100)}%</output>
          </label>
          <input
            id={`${ids}-volume`}
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={volume}
            disabled={current === null}
            onChange={(e) => setVolume(Number(e.target.value))}
            onPointerUp={saveVolume}
            onKeyUp={saveVolume}
            onBlur={saveVolume}
          />
        </div>
      </div>

      {!moods ? (
        <LoadingCards count={4} label="Loading moods" />
      ) : (
        <fieldset className="card-grid mood-grid">
          <legend className="visually-hidden">Music</legend>
          <div className={`card mood-card${current === null ? ' selected' : ''}`}>
            <label className="mood-pick">
              <input type="radio" name={`${ids}-mood`} checked={current === null} onChange={() => void choose(null)} />
              <span className="mood-text">
                <strong>No music</strong>
                <small>Just the narrator.</small>
              </span>
            </label>
          </div>
          {moods.map((mood) => {
            const state = preview.loading === mood.id ? 'loading' : preview.playing === mood.id ? 'playing' : 'idle';
            return (
              <div key={mood.id} className={`card mood-card mood-${mood.id}${current === mood.id ? ' selected' : ''}`}>
                <label className="mood-pick">
                  <input
                    type="radio"
                    name={`${ids}-mood`}
                    checked={current === mood.id}
                    onChange={() => void choose(mood.id)}
                  />
                  <span className="mood-text">
                    <strong>{mood.label}</strong>
                    <small>{mood.description}</small>
                  </span>
                </label>
                <button
                  type="button"
                  className={`btn btn-play${state !== 'idle' ? ' active' : ''}`}
                  aria-label={`${state === 'idle' ? 'Play' : 'Stop'} a preview of ${mood.label}`}
                  onClick={() => void preview.toggle(mood.id, (signal) => api.moodPreview(mood.id, signal))}
                >
                  {state === 'loading' ? '…' : <Icon name={state === 'playing' ? 'stop' : 'play'} size={16} />}
                </button>
              </div>
            );
          })}
        </fieldset>
      )}

      <div className="actions">
        <button type="button" className="btn btn-ghost" onClick={() => navigate(stepPath(project.id, 'voice'))}>
          ← Voice
        </button>
        <button
          type="button"
          className="btn btn-primary btn-large"
          onClick={() => navigate(stepPath(project.id, 'render'))}
        >
          Make the movie →
        </button>
      </div>
    </section>
  );
}

import { useEffect, useId, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { VoiceInfo } from '../api/types';
import { useApi } from '../app/session';
import { Icon } from '../components/Icon';
import { LoadingCards } from '../components/Skeleton';
import { useToast } from '../components/Toasts';
import { useAudioPreview } from '../media/useAudioPreview';
import { useLoadedProject } from '../wizard/ProjectContext';
import { stepPath } from '../wizard/steps';

const PREVIEW_CHARS = 200;

const languageName = (tag: string) => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
};

/** The first scene's words, cut at a word boundary to fit a preview. */
export function previewText(text: string | undefined, fallback: string): string {
  const source = text?.trim() || fallback;
  if (source.length <= PREVIEW_CHARS) return source;
  const cut = source.slice(0, PREVIEW_CHARS);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : PREVIEW_CHARS)}…`;
}

export function VoiceScreen() {
  const api = useApi();
  const toast = useToast();
  const navigate = useNavigate();
  const { project, edit } = useLoadedProject();
  const [voices, setVoices] = useState<VoiceInfo[] | null>(null);
  const [speed, setSpeed] = useState(project.voice.speed);
  const [language, setLanguage] = useState<string>('all');
  const preview = useAudioPreview(toast.error);
  const ids = useId();

  useEffect(() => {
    api.voices().then(setVoices, toast.error);
  }, [api, toast]);

  const languages = useMemo(() => [...new Set((voices ?? []).map((v) => v.language))].sort(), [voices]);
  const shown = (voices ?? []).filter((v) => language === 'all' || v.language === language);
  // Shown as chosen at once; put back if the change is refused.
  const [chosen, setChosen] = useState(project.voice.id);
  const choose = async (id: string) => {
    setChosen(id);
    const saved = await edit((p) => api.patchProject(p.id, p.version, { voice: { id, speed } }));
    setChosen((saved ?? project).voice.id);
  };
  const saveSpeed = () => {
    if (speed !== project.voice.speed) void edit((p) => api.patchProject(p.id, p.version, { voice: { speed } }));
  };

  return (
    <section className="screen">
      <header className="screen-header">
        <p className="eyebrow">Step 3 · {project.title}</p>
        <h1>Pick a narrator</h1>
        <p className="lede">Press play to hear each voice read your first scene.</p>
      </header>

      <div className="panel toolbar">
        <div className="field">
          <label htmlFor={`${ids}-language`}>Language</label>
          <select
            id={`${ids}-language`}
            className="input input-small"
            value={language}
            onChange={(e) => setLanguage(e.target.value)}
          >
            <option value="all">All languages</option>
            {languages.map((l) => (
              <option key={l} value={l}>
                {languageName(l)}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-grow">
          <label htmlFor={`${ids}-speed`}>
            Speed <output htmlFor={`${ids}-speed`}>{speed.toFixed(2)}×</output>
          </label>
          <input
            id={`${ids}-speed`}
            type="range"
            min={0.5}
            max={2}
            step={0.05}
            value={speed}
            onChange={(e) => setSpeed(Number(e.target.value))}
            onPointerUp={saveSpeed}
            onKeyUp={saveSpeed}
            onBlur={saveSpeed}
          />
        </div>
      </div>

      {!voices ? (
        <LoadingCards count={4} label="Loading voices" />
      ) : (
        <fieldset className="card-grid voice-grid">
          <legend className="visually-hidden">Voices</legend>
          {shown.map((voice) => {
            const selected = chosen === voice.id;
            const state = preview.loading === voice.id ? 'loading' : preview.playing === voice.id ? 'playing' : 'idle';
            return (
              <div key={voice.id} className={`card voice-card${selected ? ' selected' : ''}`}>
                <label className="voice-pick">
                  <input type="radio" name={`${ids}-voice`} checked={selected} onChange={() => void choose(voice.id)} />
                  <span className={`voice-avatar voice-${voice.gender}`} aria-hidden="true">
                    {voice.label.slice(0, 1)}
                  </span>
                  <span className="voice-text">
                    <strong>{voice.label}</strong>
                    <small>{voice.gender === 'female' ? 'Female voice' : 'Male voice'}</small>
                  </span>
                </label>
                <button
                  type="button"
                  className={`btn btn-play${state !== 'idle' ? ' active' : ''}`}
                  aria-label={`${state === 'idle' ? 'Play' : 'Stop'} a preview of ${voice.label}`}
                  onClick={() =>
                    void preview.toggle(voice.id, (signal) =>
                      api.voicePreview(voice.id, previewText(project.scenes[0]?.text, voice.sample), signal),
                    )
                  }
                >
                  {state === 'loading' ? '…' : <Icon name={state === 'playing' ? 'stop' : 'play'} size={16} />}
                </button>
              </div>
            );
          })}
        </fieldset>
      )}

      <div className="actions">
        <button type="button" className="btn btn-ghost" onClick={() => navigate(stepPath(project.id, 'storyboard'))}>
          ← Storyboard
        </button>
        <button
          type="button"
          className="btn btn-primary btn-large"
          onClick={() => navigate(stepPath(project.id, 'music'))}
        >
          Choose music →
        </button>
      </div>
    </section>
  );
}

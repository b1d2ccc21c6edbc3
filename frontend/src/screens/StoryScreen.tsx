import { type FormEvent, useEffect, useId, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { ASPECTS, type Aspect, type NewProject, type Style } from '../api/types';
import { useApi } from '../app/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { useToast } from '../components/Toasts';
import { countWords, estimateSeconds, formatDuration } from '../lib/storyLength';
import { useLoadedProject } from '../wizard/ProjectContext';
import { stepPath } from '../wizard/steps';

export const TARGET_LENGTHS = [
  { seconds: 30, label: '30 seconds' },
  { seconds: 60, label: '1 minute' },
  { seconds: 120, label: '2 minutes' },
  { seconds: 180, label: '3 minutes' },
  { seconds: 300, label: '5 minutes' },
  { seconds: 600, label: '10 minutes' },
];

const ASPECT_LABELS: Record<Aspect, string> = {
  '16:9': 'Landscape',
  '9:16': 'Vertical',
  '1:1': 'Square',
};

const MAX_STORY_CHARS = 300_000;

const FALLBACK_STYLES: Style[] = [{ id: 'storybook', label: 'Storybook', swatches: [] }];

function StoryForm({ initial, onSubmit }: { initial: NewProject; onSubmit: (draft: NewProject) => Promise<void> }) {
  const api = useApi();
  const [draft, setDraft] = useState(initial);
  const [styles, setStyles] = useState<Style[] | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = useId();
  useEffect(() => {
    api.styles().then(setStyles, () => setStyles(FALLBACK_STYLES));
  }, [api]);

  const set = <K extends keyof NewProject>(key: K, value: NewProject[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const words = countWords(draft.story);
  const estimate = estimateSeconds(draft.story);
  const movieSeconds = Math.min(estimate, draft.targetSeconds);
  const ready = draft.title.trim() !== '' && words >= 3;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    try {
      await onSubmit(draft);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="story-form" onSubmit={submit} aria-busy={busy}>
      <div className="panel">
        <div className="field">
          <label htmlFor={`${ids}-title`}>Title</label>
          <input
            id={`${ids}-title`}
            className="input input-title"
            value={draft.title}
            maxLength={200}
            placeholder="The Lighthouse Keeper"
            onChange={(e) => set('title', e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-story`}>Your story</label>
          <textarea
            id={`${ids}-story`}
            className="input story-text"
            value={draft.story}
            maxLength={MAX_STORY_CHARS}
            rows={12}
            placeholder="Paste or write your story here. Each few sentences become a scene with its own picture."
            onChange={(e) => set('story', e.target.value)}
            aria-describedby={`${ids}-count`}
            required
          />
          <p id={`${ids}-count`} className="hint story-meter" aria-live="polite">
            <span>
              {draft.story.length.toLocaleString()} characters · {words.toLocaleString()} words
            </span>
            <span>
              {words === 0
                ? 'Your movie length appears here'
                : estimate > draft.targetSeconds
                  ? `About ${formatDuration(estimate)} to read: the movie keeps the first ${formatDuration(draft.targetSeconds)}`
                  : `Your movie: about ${formatDuration(movieSeconds)}`}
            </span>
          </p>
        </div>
      </div>

      <div className="panel options-grid">
        <div className="field">
          <label htmlFor={`${ids}-length`}>Target length</label>
          <select
            id={`${ids}-length`}
            className="input"
            value={draft.targetSeconds}
            onChange={(e) => set('targetSeconds', Number(e.target.value))}
          >
            {TARGET_LENGTHS.map((t) => (
              <option key={t.seconds} value={t.seconds}>
                {t.label}
              </option>
            ))}
          </select>
        </div>

        <fieldset className="field">
          <legend>Shape</legend>
          <div className="choice-row">
            {ASPECTS.map((aspect) => (
              <label key={aspect} className={`choice aspect-choice${draft.aspect === aspect ? ' selected' : ''}`}>
                <input
                  type="radio"
                  name={`${ids}-aspect`}
                  value={aspect}
                  checked={draft.aspect === aspect}
                  onChange={() => set('aspect', aspect)}
                />
                <span className={`aspect-shape aspect-${aspect.replace(':', 'x')}`} aria-hidden="true" />
                <span>
                  {ASPECT_LABELS[aspect]} <small>{aspect}</small>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className="field field-wide">
          <legend>Look</legend>
          <div className="choice-row style-row">
            {(styles ?? FALLBACK_STYLES).map((style) => (
              <label key={style.id} className={`choice style-choice${draft.style === style.id ? ' selected' : ''}`}>
                <input
                  type="radio"
                  name={`${ids}-style`}
                  value={style.id}
                  checked={draft.style === style.id}
                  onChange={() => set('style', style.id)}
                />
                <span className="swatches" aria-hidden="true">
                  {style.swatches.slice(0, 4).map((c) => (
                    <span key={c} style={{ background: c }} />
                  ))}
                </span>
                <span>{style.label}</span>
              </label>
            ))}
          </div>
        </fieldset>
      </div>

      <div className="actions">
        <button type="submit" className="btn btn-primary btn-large" disabled={!ready || busy}>
          {busy ? 'Making your storyboard…' : 'Make the storyboard'}
        </button>
      </div>
    </form>
  );
}

const EMPTY: NewProject = { title: '', story: '', targetSeconds: 60, aspect: '16:9', style: 'storybook' };

function NewStory() {
  useDocumentTitle('New movie');
  const api = useApi();
  const toast = useToast();
  const navigate = useNavigate();
  async function create(draft: NewProject) {
    try {
      const project = await api.createProject({ ...draft, title: draft.title.trim() });
      await api.storyboard(project.id, project.version);
      navigate(stepPath(project.id, 'storyboard'));
    } catch (err) {
      toast.error(err);
    }
  }
  return (
    <section className="screen">
      <header className="screen-header">
        <p className="eyebrow">New movie</p>
        <h1>Tell us your story</h1>
        <p className="lede">Paste a story and we'll turn it into a narrated, illustrated movie you can share.</p>
      </header>
      <StoryForm initial={EMPTY} onSubmit={create} />
    </section>
  );
}

function EditStory() {
  const { project, edit } = useLoadedProject();
  const api = useApi();
  const navigate = useNavigate();
  async function save(draft: NewProject) {
    const storyChanged = draft.story !== project.story || draft.targetSeconds !== project.targetSeconds;
    const saved = await edit(async (p) => {
      const patched = await api.patchProject(p.id, p.version, { ...draft, title: draft.title.trim() });
      return storyChanged || patched.scenes.length === 0 ? api.storyboard(p.id, patched.version) : patched;
    });
    if (saved) navigate(stepPath(project.id, 'storyboard'));
  }
  const { title, story, targetSeconds, aspect, style } = project;
  return (
    <section className="screen">
      <header className="screen-header">
        <p className="eyebrow">Step 1</p>
        <h1>Your story</h1>
        <p className="lede">Changing the story makes a fresh storyboard; scenes you keep keep their pictures.</p>
      </header>
      <StoryForm initial={{ title, story, targetSeconds, aspect, style }} onSubmit={save} />
    </section>
  );
}

export function StoryScreen() {
  const { projectId } = useParams();
  return projectId ? <EditStory /> : <NewStory />;
}

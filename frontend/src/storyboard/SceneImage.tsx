import { type FormEvent, useId, useRef, useState } from 'react';
import type { Aspect, Scene } from '../api/types';
import { Icon } from '../components/Icon';

interface Props {
  scene: Scene;
  index: number;
  aspect: Aspect;
  drawing: boolean;
  onRegenerate(): Promise<void>;
  onUpload(file: File, onProgress: (percent: number) => void): Promise<void>;
  onImageUrl(url: string): Promise<void>;
}

/** A scene's picture and the ways to change it: draw again, upload one, or take one from a link. */
export function SceneImage({ scene, index, aspect, drawing, onRegenerate, onUpload, onImageUrl }: Props) {
  const ids = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [urlOpen, setUrlOpen] = useState(false);
  const [url, setUrl] = useState('');
  const label = `scene ${index + 1}`;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  async function submitUrl(e: FormEvent) {
    e.preventDefault();
    if (!url.trim()) return;
    await run(() => onImageUrl(url.trim()));
    setUrl('');
    setUrlOpen(false);
  }

  const pending = drawing || busy || !scene.imageUrl;
  return (
    <div className="scene-media">
      <div className={`scene-frame aspect-${aspect.replace(':', 'x')}`}>
        {scene.imageUrl && !busy ? (
          <img
            src={scene.imageUrl}
            alt={`${label[0]?.toUpperCase()}${label.slice(1)}: ${scene.imagePrompt}`}
            loading="lazy"
          />
        ) : (
          <div className="scene-placeholder shimmer" role="status">
            <span>{progress !== null ? 'Uploading…' : pending ? 'Drawing…' : 'No picture yet'}</span>
          </div>
        )}
        {progress !== null && (
          <div className="upload-progress">
            <progress max={100} value={progress} aria-label={`Upload progress for ${label}`} />
            <span>{progress}%</span>
          </div>
        )}
      </div>
      <div className="scene-media-actions">
        <button
          type="button"
          className="btn btn-ghost btn-small"
          disabled={busy || drawing}
          onClick={() => void run(onRegenerate)}
        >
          <Icon name="refresh" size={16} /> New picture
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          disabled={busy}
          onClick={() => fileInput.current?.click()}
        >
          <Icon name="upload" size={16} /> Upload
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="image/jpeg,image/png,image/webp,image/gif,image/avif"
          className="visually-hidden"
          aria-label={`Upload a picture for ${label}`}
          tabIndex={-1}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) {
              setProgress(0);
              void run(() => onUpload(file, setProgress));
            }
          }}
        />
        <button
          type="button"
          className="btn btn-ghost btn-small"
          aria-expanded={urlOpen}
          aria-controls={`${ids}-url`}
          onClick={() => setUrlOpen((o) => !o)}
        >
          <Icon name="link" size={16} /> Link
        </button>
      </div>
      {urlOpen && (
        <form id={`${ids}-url`} className="inline-form" onSubmit={submitUrl}>
          <label htmlFor={`${ids}-url-input`} className="visually-hidden">
            Image link for {label}
          </label>
          <input
            id={`${ids}-url-input`}
            className="input input-small"
            type="url"
            placeholder="https://…/picture.jpg"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
          <button type="submit" className="btn btn-secondary btn-small" disabled={busy || !url.trim()}>
            Use
          </button>
        </form>
      )}
    </div>
  );
}

import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useEffect, useId, useRef, useState } from 'react';
import { type Aspect, MOTIONS, type Motion, type Scene, TRANSITION_TYPES, type TransitionType } from '../api/types';
import { Icon } from '../components/Icon';
import { formatDuration } from '../lib/storyLength';
import { SceneImage } from './SceneImage';

export const MOTION_LABELS: Record<Motion, string> = {
  'zoom-in': 'Zoom in',
  'zoom-out': 'Zoom out',
  'pan-left': 'Pan left',
  'pan-right': 'Pan right',
  none: 'Still',
};

export const TRANSITION_LABELS: Record<TransitionType, string> = {
  cut: 'Cut',
  fade: 'Fade',
  dissolve: 'Dissolve',
  wipe: 'Wipe',
  slide: 'Slide',
};

export interface SceneActions {
  onText(text: string): Promise<void>;
  onMotion(motion: Motion): Promise<void>;
  onTransition(type: TransitionType): Promise<void>;
  onDelete(): Promise<void>;
  onRegenerate(): Promise<void>;
  onUpload(file: File, onProgress: (percent: number) => void): Promise<void>;
  onImageUrl(url: string): Promise<void>;
}

interface Props extends SceneActions {
  scene: Scene;
  index: number;
  last: boolean;
  aspect: Aspect;
  drawing: boolean;
  canDelete: boolean;
}

/** One scene: its picture, its narration and how the camera moves; dragged by its handle. */
export function SceneCard({ scene, index, last, aspect, drawing, canDelete, ...actions }: Props) {
  const ids = useId();
  const [text, setText] = useState(scene.text);
  useEffect(() => setText(scene.text), [scene.text]);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: scene.id,
  });
  const style = { transform: CSS.Transform.toString(transform), transition };
  const dirty = text.trim() !== scene.text && text.trim() !== '';
  // Leaving the box and pressing Save both save; the same words are sent once.
  const sending = useRef<string | null>(null);
  const saveText = async () => {
    const words = text.trim();
    if (!dirty || sending.current === words) return;
    sending.current = words;
    try {
      await actions.onText(words);
    } finally {
      sending.current = null;
    }
  };

  return (
    <li ref={setNodeRef} style={style} className={`card scene-card${isDragging ? ' dragging' : ''}`}>
      <div className="scene-head">
        <button
          type="button"
          ref={setActivatorNodeRef}
          className="drag-handle"
          aria-label={`Move scene ${index + 1}`}
          {...attributes}
          {...listeners}
        >
          <Icon name="grip" />
        </button>
        <h2 className="scene-title">Scene {index + 1}</h2>
        <span className="scene-length">{formatDuration(scene.durationSeconds)}</span>
        <button
          type="button"
          className="btn btn-icon btn-danger-ghost"
          aria-label={`Delete scene ${index + 1}`}
          disabled={!canDelete}
          onClick={() => void actions.onDelete()}
        >
          <Icon name="trash" />
        </button>
      </div>
      <SceneImage
        scene={scene}
        index={index}
        aspect={aspect}
        drawing={drawing}
        onRegenerate={actions.onRegenerate}
        onUpload={actions.onUpload}
        onImageUrl={actions.onImageUrl}
      />
      <div className="field">
        <label htmlFor={`${ids}-text`}>Narration</label>
        <textarea
          id={`${ids}-text`}
          className="input scene-text"
          value={text}
          rows={4}
          maxLength={2000}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => void saveText()}
        />
        {dirty && (
          <button type="button" className="btn btn-secondary btn-small" onClick={() => void saveText()}>
            Save text
          </button>
        )}
      </div>
      <div className="scene-direction">
        <div className="field">
          <label htmlFor={`${ids}-motion`}>Camera</label>
          <select
            id={`${ids}-motion`}
            className="input input-small"
            value={scene.motion}
            onChange={(e) => void actions.onMotion(e.target.value as Motion)}
          >
            {MOTIONS.map((m) => (
              <option key={m} value={m}>
                {MOTION_LABELS[m]}
              </option>
            ))}
          </select>
        </div>
        {!last && (
          <div className="field">
            <label htmlFor={`${ids}-transition`}>Into next scene</label>
            <select
              id={`${ids}-transition`}
              className="input input-small"
              value={scene.transition.type}
              onChange={(e) => void actions.onTransition(e.target.value as TransitionType)}
            >
              {TRANSITION_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TRANSITION_LABELS[t]}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
    </li>
  );
}

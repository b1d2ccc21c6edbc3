import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { rectSortingStrategy, SortableContext, sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { uploadFile } from '../api/resumableUpload';
import type { Project, Scene, SceneEdit } from '../api/types';
import { useApi } from '../app/session';
import { useToast } from '../components/Toasts';
import { formatDuration } from '../lib/storyLength';
import { SceneCard } from '../storyboard/SceneCard';
import { inOrder, moveScene, toEdit, withScene } from '../storyboard/sceneEdits';
import { useLoadedProject } from '../wizard/ProjectContext';
import { stepPath } from '../wizard/steps';

const sceneNumber = (project: Project, id: string) => project.scenes.findIndex((s) => s.id === id) + 1;

export function StoryboardScreen() {
  const api = useApi();
  const toast = useToast();
  const navigate = useNavigate();
  const { project, edit, replace } = useLoadedProject();
  const [drawing, setDrawing] = useState(false);
  const [adding, setAdding] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const ids = useId();
  const drewFor = useRef<string | null>(null);

  const missing = project.scenes.filter((s) => !s.imagePath).length;
  // Pictures are drawn as soon as there are scenes without one (a new storyboard, an edited text).
  useEffect(() => {
    const key = `${project.id}:${project.version}`;
    if (missing === 0 || drewFor.current === key) return;
    drewFor.current = key;
    setDrawing(true);
    api
      .drawImages(project.id)
      .then(replace, (err) => toast.error(err))
      .finally(() => setDrawing(false));
  }, [api, project.id, project.version, missing, replace, toast]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  // Each change is worked out from the scenes as the previous edit left them.
  const saveScenes = (change: (scenes: SceneEdit[]) => SceneEdit[]) =>
    edit((p) => api.editScenes(p.id, p.version, change(p.scenes.map(toEdit))));
  const changeScene = (id: string, change: Partial<SceneEdit>) =>
    saveScenes((scenes) => scenes.map((s) => (s.id === id ? { ...s, ...change } : s)));

  async function onDragEnd({ active, over }: DragEndEvent) {
    if (!over || active.id === over.id) return;
    const from = project.scenes.findIndex((s) => s.id === active.id);
    const to = project.scenes.findIndex((s) => s.id === over.id);
    const reordered = moveScene(project.scenes, from, to);
    replace({ ...project, scenes: reordered });
    const order = reordered.map((s) => s.id);
    await saveScenes((scenes) => inOrder(scenes, order));
    setAnnouncement(`Scene ${from + 1} is now scene ${to + 1}.`);
  }

  async function imageFrom(work: () => Promise<{ version: number; scene: Scene }>) {
    try {
      const result = await work();
      replace((p) => p && withScene(p, result.scene, result.version));
    } catch (err) {
      toast.error(err);
    }
  }

  const adoptUpload = (scene: Scene, path: string) => api.setSceneImage(project.id, scene.id, path);

  async function addScene(e: FormEvent) {
    e.preventDefault();
    if (!adding.trim()) return;
    const text = adding.trim();
    const saved = await saveScenes((scenes) => [...scenes, { text }]);
    if (saved) {
      setAdding('');
      setAnnouncement(`Scene ${saved.scenes.length} added.`);
    }
  }

  const total = project.scenes.reduce((sum, s) => sum + s.durationSeconds, 0);
  return (
    <section className="screen">
      <header className="screen-header">
        <p className="eyebrow">Step 2 · {project.title}</p>
        <h1>Storyboard</h1>
        <p className="lede">
          {project.scenes.length} scenes · about {formatDuration(total)}.{' '}
          {drawing ? 'Drawing the pictures…' : 'Edit the words, reorder by dragging, or change any picture.'}
        </p>
        {project.storyboard?.truncated && (
          <p className="notice">
            Your story is longer than the target length, so the storyboard keeps its beginning. Choose a longer length
            on the Story step to include more.
          </p>
        )}
      </header>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={(e) => void onDragEnd(e)}
        accessibility={{
          screenReaderInstructions: {
            draggable: 'To move a scene, press space or enter, use the arrow keys, then press space or enter again.',
          },
          announcements: {
            onDragStart: ({ active }) => `Picked up scene ${sceneNumber(project, String(active.id))}.`,
            onDragOver: ({ over }) => (over ? `Over position ${sceneNumber(project, String(over.id))}.` : ''),
            onDragEnd: ({ over }) => (over ? `Dropped at position ${sceneNumber(project, String(over.id))}.` : ''),
            onDragCancel: () => 'Move cancelled.',
          },
        }}
      >
        <SortableContext items={project.scenes.map((s) => s.id)} strategy={rectSortingStrategy}>
          <ol className="scene-list" aria-label="Scenes">
            {project.scenes.map((scene, index) => (
              <SceneCard
                key={scene.id}
                scene={scene}
                index={index}
                last={index === project.scenes.length - 1}
                aspect={project.aspect}
                drawing={drawing && !scene.imagePath}
                canDelete={project.scenes.length > 1}
                onText={async (text) => {
                  await changeScene(scene.id, { text });
                }}
                onMotion={async (motion) => {
                  await changeScene(scene.id, { motion });
                }}
                onTransition={async (type) => {
                  await changeScene(scene.id, { transition: type });
                }}
                onDelete={async () => {
                  const saved = await saveScenes((scenes) => scenes.filter((s) => s.id !== scene.id));
                  if (saved) toast.show(`Scene ${index + 1} deleted.`, 'success');
                }}
                onRegenerate={() => imageFrom(() => api.regenerateImage(project.id, scene.id, { reroll: true }))}
                onUpload={(file, onProgress) =>
                  imageFrom(async () => {
                    const stored = await uploadFile(api.http, project.id, file, ({ sent, total }) =>
                      onProgress(Math.round((sent / total) * 100)),
                    );
                    return adoptUpload(scene, stored.path);
                  })
                }
                onImageUrl={(url) =>
                  imageFrom(async () => adoptUpload(scene, (await api.ingestUrl(project.id, url)).path))
                }
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>

      <form className="card add-scene" onSubmit={addScene}>
        <label htmlFor={`${ids}-add`}>Add a scene</label>
        <textarea
          id={`${ids}-add`}
          className="input"
          rows={2}
          value={adding}
          maxLength={2000}
          placeholder="What happens next?"
          onChange={(e) => setAdding(e.target.value)}
        />
        <button type="submit" className="btn btn-secondary" disabled={!adding.trim()}>
          + Add scene
        </button>
      </form>

      <div className="actions">
        <button type="button" className="btn btn-ghost" onClick={() => navigate(stepPath(project.id, 'story'))}>
          ← Story
        </button>
        <button
          type="button"
          className="btn btn-primary btn-large"
          onClick={() => navigate(stepPath(project.id, 'voice'))}
        >
          Choose a voice →
        </button>
      </div>
    </section>
  );
}

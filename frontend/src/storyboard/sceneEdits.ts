import type { Project, Scene, SceneEdit } from '../api/types';

/** A scene as the scenes route takes it back (the image fields are the server's). */
export function toEdit(scene: Scene): SceneEdit {
  const { imagePath: _path, imageUrl: _url, ...edit } = scene;
  return edit;
}

export function moveScene(scenes: Scene[], from: number, to: number): Scene[] {
  const next = [...scenes];
  const [moved] = next.splice(from, 1);
  if (moved) next.splice(to, 0, moved);
  return next;
}

/** The project with one scene replaced (after an image change, which bumps the version). */
export function withScene(project: Project, scene: Scene, version: number): Project {
  return { ...project, version, scenes: project.scenes.map((s) => (s.id === scene.id ? scene : s)) };
}

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

/** Scenes in the order of these ids; scenes not named keep their place at the end. */
export function inOrder<T extends { id?: string }>(scenes: T[], ids: string[]): T[] {
  const rank = (s: T) => (s.id !== undefined && ids.includes(s.id) ? ids.indexOf(s.id) : ids.length);
  return [...scenes].sort((a, b) => rank(a) - rank(b));
}

/** The project with one scene replaced (after an image change, which bumps the version). */
export function withScene(project: Project, scene: Scene, version: number): Project {
  return { ...project, version, scenes: project.scenes.map((s) => (s.id === scene.id ? scene : s)) };
}

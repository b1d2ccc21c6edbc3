import { type BlobStore, conflict, type DocStore, type StoredDoc } from '@storyreel/shared';
import { canonicalLanguage, detectLanguage } from './language.js';
import { readOwnedProject } from './projectAccess.js';
import { DEFAULT_CAPTIONS, defaultMusic, defaultVoice } from './projectDefaults.js';
import { type Aspect, PROJECTS, type ProjectData, type Scene } from './projectModel.js';
import { newProjectId } from './randomIds.js';
import { applySceneEdits, type SceneEdit } from './sceneEdits.js';
import { offlinePlanner, type StoryboardPlanner } from './storyboardPlanner.js';
import type { StyleId } from './styles.js';

/**
 * A user's projects: create, list, read, change (with optimistic
 * concurrency on the document version), storyboard, edit scenes, delete.
 * Plain functions over the DocStore and BlobStore ports; the routes only
 * translate HTTP.
 */
export interface ProjectPorts {
  docs: DocStore;
  blobs: BlobStore;
  mediaBucket: string;
  /** Cuts stories into scenes; the offline splitter when absent. */
  planner?: StoryboardPlanner;
  now?: () => Date;
  log?: { warn(obj: object, msg: string): void };
}

export interface NewProject {
  title: string;
  story: string;
  targetSeconds: number;
  aspect: Aspect;
  style: StyleId;
  language?: string;
}

const stamp = (ports: ProjectPorts) => (ports.now?.() ?? new Date()).toISOString();

export async function createProject(
  ports: ProjectPorts,
  uid: string,
  input: NewProject,
): Promise<StoredDoc<ProjectData>> {
  const given = input.language ? canonicalLanguage(input.language) : null;
  const language = given ?? detectLanguage(input.story);
  const now = stamp(ports);
  const data: ProjectData = {
    owner: uid,
    title: input.title,
    story: input.story,
    language,
    languageDetected: given === null,
    targetSeconds: input.targetSeconds,
    aspect: input.aspect,
    style: input.style,
    voice: defaultVoice(language),
    music: defaultMusic(input.story, language),
    captions: DEFAULT_CAPTIONS,
    scenes: [],
    storyboard: null,
    createdAt: now,
    updatedAt: now,
  };
  return ports.docs.create(PROJECTS, newProjectId(), data);
}

/** The user's projects, newest first. */
export async function listProjects(ports: ProjectPorts, uid: string, limit: number): Promise<StoredDoc<ProjectData>[]> {
  return ports.docs.query<ProjectData>(PROJECTS, {
    where: [['owner', '==', uid]],
    orderBy: [{ field: 'createdAt', direction: 'desc' }],
    limit,
  });
}

export function getProject(ports: ProjectPorts, uid: string, projectId: string): Promise<StoredDoc<ProjectData>> {
  return readOwnedProject(ports.docs, uid, projectId);
}

/** Deletes the project and, best effort, every object stored under it (images, narration, renders). */
export async function deleteProject(ports: ProjectPorts, uid: string, projectId: string): Promise<void> {
  await readOwnedProject(ports.docs, uid, projectId);
  await ports.docs.delete(PROJECTS, projectId);
  try {
    const objects = await ports.blobs.list(`gs://${ports.mediaBucket}/users/${uid}/projects/${projectId}/`);
    await Promise.all(objects.map((o) => ports.blobs.delete(o.path)));
  } catch (err) {
    // The project is gone either way; orphaned media cost storage, not correctness.
    ports.log?.warn({ err, projectId }, 'could not delete the project media');
  }
}

export interface ProjectPatch {
  title?: string;
  story?: string;
  targetSeconds?: number;
  aspect?: Aspect;
  style?: StyleId;
  /** null: detect it from the story again. */
  language?: string | null;
  voice?: Partial<ProjectData['voice']>;
  music?: Partial<NonNullable<ProjectData['music']>> | null;
  captions?: Partial<NonNullable<ProjectData['captions']>> | null;
}

function assertVersion(doc: StoredDoc<ProjectData>, expected: number): void {
  if (doc.version !== expected) {
    throw conflict(
      `the project was changed elsewhere (version ${doc.version}, yours ${expected}); reload it and try again`,
      {
        currentVersion: doc.version,
      },
    );
  }
}

export async function updateProject(
  ports: ProjectPorts,
  uid: string,
  projectId: string,
  expectedVersion: number,
  patch: ProjectPatch,
): Promise<StoredDoc<ProjectData>> {
  const doc = await readOwnedProject(ports.docs, uid, projectId);
  assertVersion(doc, expectedVersion);
  const current = doc.data;
  const changes: Partial<ProjectData> = { updatedAt: stamp(ports) };
  if (patch.title !== undefined) changes.title = patch.title;
  if (patch.story !== undefined) changes.story = patch.story;
  if (patch.targetSeconds !== undefined) changes.targetSeconds = patch.targetSeconds;
  if (patch.aspect !== undefined) changes.aspect = patch.aspect;
  if (patch.style !== undefined) changes.style = patch.style;
  if (patch.language !== undefined || (patch.story !== undefined && current.languageDetected)) {
    const given = patch.language ? canonicalLanguage(patch.language) : null;
    changes.language = given ?? detectLanguage(patch.story ?? current.story);
    changes.languageDetected = given === null;
  }
  if (patch.voice) changes.voice = { ...current.voice, ...patch.voice };
  if (patch.music !== undefined)
    changes.music =
      patch.music === null ? null : { ...(current.music ?? { mood: 'calm', volume: 0.3 }), ...patch.music };
  if (patch.captions !== undefined)
    changes.captions =
      patch.captions === null ? null : { ...(current.captions ?? DEFAULT_CAPTIONS), ...patch.captions };
  // Pictures are drawn for a style and a frame shape: a change of either makes them all out of date.
  const restyled =
    (changes.style ?? current.style) !== current.style || (changes.aspect ?? current.aspect) !== current.aspect;
  if (restyled) changes.scenes = current.scenes.map((s) => ({ ...s, imagePath: null }));
  return ports.docs.update<ProjectData>(PROJECTS, projectId, changes, { expectedVersion });
}

/**
 * Splits the story into scenes, replacing the old ones. A scene whose text
 * is unchanged keeps its id, seed, image prompt and image, so re-running the
 * storyboard after a small story edit does not redraw everything.
 */
export async function storyboardProject(
  ports: ProjectPorts,
  uid: string,
  projectId: string,
  options: { expectedVersion?: number; targetSeconds?: number },
): Promise<StoredDoc<ProjectData>> {
  const doc = await readOwnedProject(ports.docs, uid, projectId);
  if (options.expectedVersion !== undefined) assertVersion(doc, options.expectedVersion);
  const targetSeconds = options.targetSeconds ?? doc.data.targetSeconds;
  const planner = ports.planner ?? offlinePlanner;
  const split = await planner.plan(doc.data.story, { targetSeconds, language: doc.data.language }, { userId: uid });
  const scenes = keepUnchanged(doc.data.scenes, split.scenes);
  return ports.docs.update<ProjectData>(
    PROJECTS,
    projectId,
    {
      scenes,
      targetSeconds,
      storyboard: {
        ...split.summary,
        planner: split.planner,
        ...(split.note ? { note: split.note } : {}),
        createdAt: stamp(ports),
      },
      updatedAt: stamp(ports),
    },
    { expectedVersion: doc.version },
  );
}

function keepUnchanged(old: readonly Scene[], fresh: readonly Scene[]): Scene[] {
  const pool = new Map<string, Scene[]>();
  for (const scene of old) pool.set(scene.text, [...(pool.get(scene.text) ?? []), scene]);
  return fresh.map((scene) => {
    const match = pool.get(scene.text)?.shift();
    return match
      ? { ...scene, id: match.id, seed: match.seed, imagePrompt: match.imagePrompt, imagePath: match.imagePath }
      : scene;
  });
}

export async function editScenes(
  ports: ProjectPorts,
  uid: string,
  projectId: string,
  expectedVersion: number,
  edits: readonly SceneEdit[],
): Promise<StoredDoc<ProjectData>> {
  const doc = await readOwnedProject(ports.docs, uid, projectId);
  assertVersion(doc, expectedVersion);
  const scenes = applySceneEdits(doc.data.scenes, edits, { language: doc.data.language });
  return ports.docs.update<ProjectData>(PROJECTS, projectId, { scenes, updatedAt: stamp(ports) }, { expectedVersion });
}

import { type BlobStore, type DocStore, notFound, parseGsPath, type StoredDoc } from '@storyreel/shared';
import { readOwnedProject } from './projectAccess.js';
import { PROJECTS, type ProjectData, type Scene } from './projectModel.js';

export interface SceneUploadPorts {
  docs: DocStore;
  blobs: BlobStore;
  mediaBucket: string;
}

/**
 * Whether a path is one of this user's uploads to this project, as the
 * upload service stores them: `users/<uid>/projects/<pid>/uploads/<file>`.
 */
function isProjectUpload(key: string, uid: string, projectId: string): boolean {
  const segments = key.split('/');
  return (
    segments.length === 6 &&
    segments[0] === 'users' &&
    segments[1] === uid &&
    segments[2] === 'projects' &&
    segments[3] === projectId &&
    segments[4] === 'uploads'
  );
}

/**
 * Makes an uploaded (or URL-ingested) picture a scene's image. The upload
 * service already sniffed and normalised it; the movie's render scales it to
 * the frame. Another user's file, or one outside this project's uploads,
 * answers like a missing one (404). The picture stays until the scene's text,
 * prompt or seed changes, like a drawn one.
 */
export async function adoptUploadedImage(
  ports: SceneUploadPorts,
  uid: string,
  projectId: string,
  sceneId: string,
  path: string,
): Promise<{ project: StoredDoc<ProjectData>; scene: Scene }> {
  const read = await readOwnedProject(ports.docs, uid, projectId);
  if (!read.data.scenes.some((s) => s.id === sceneId)) throw notFound('scene');
  const { key } = parseGsPath(path, [ports.mediaBucket]);
  if (!isProjectUpload(key, uid, projectId) || !(await ports.blobs.exists(path))) throw notFound('upload');
  await ports.docs.transaction(async (tx) => {
    const current = await tx.get<ProjectData>(PROJECTS, projectId);
    if (!current || current.data.owner !== uid) throw notFound('project');
    if (!current.data.scenes.some((s) => s.id === sceneId)) throw notFound('scene');
    const scenes = current.data.scenes.map((s) => (s.id === sceneId ? { ...s, imagePath: path } : s));
    tx.update<ProjectData>(PROJECTS, projectId, { scenes, updatedAt: new Date().toISOString() });
  });
  const project = await readOwnedProject(ports.docs, uid, projectId);
  return { project, scene: project.data.scenes.find((s) => s.id === sceneId) as Scene };
}

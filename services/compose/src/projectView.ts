import type { BlobStore, StoredDoc } from '@storyreel/shared';
import type { ProjectData, Scene } from './projectModel.js';

/**
 * What the API shows of a project: everything but the owner, plus the
 * document version (for If-Match / `version`) and a short-lived signed URL
 * for each scene image, since a browser cannot send credentials with <img>.
 */
export const IMAGE_URL_SECONDS = 6 * 3600;

export type SceneView = Scene & { imageUrl: string | null };

export type ProjectView = Omit<ProjectData, 'owner' | 'scenes'> & { id: string; version: number; scenes: SceneView[] };

export interface ProjectSummary {
  id: string;
  version: number;
  title: string;
  aspect: ProjectData['aspect'];
  style: ProjectData['style'];
  sceneCount: number;
  imagesReady: number;
  estimatedSeconds: number | null;
  coverUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export async function projectView(doc: StoredDoc<ProjectData>, blobs: BlobStore): Promise<ProjectView> {
  const { owner: _owner, scenes, ...fields } = doc.data;
  return {
    id: doc.id,
    version: doc.version,
    ...fields,
    scenes: await Promise.all(
      scenes.map(async (scene) => ({ ...scene, imageUrl: await imageUrl(blobs, scene.imagePath) })),
    ),
  };
}

export async function projectSummary(doc: StoredDoc<ProjectData>, blobs: BlobStore): Promise<ProjectSummary> {
  const { data } = doc;
  const cover = data.scenes.find((s) => s.imagePath)?.imagePath ?? null;
  return {
    id: doc.id,
    version: doc.version,
    title: data.title,
    aspect: data.aspect,
    style: data.style,
    sceneCount: data.scenes.length,
    imagesReady: data.scenes.filter((s) => s.imagePath).length,
    estimatedSeconds:
      data.scenes.length > 0 ? Math.round(data.scenes.reduce((sum, s) => sum + s.durationSeconds, 0) * 10) / 10 : null,
    coverUrl: await imageUrl(blobs, cover),
    createdAt: data.createdAt,
    updatedAt: data.updatedAt,
  };
}

async function imageUrl(blobs: BlobStore, path: string | null): Promise<string | null> {
  return path ? blobs.signedUrl(path, IMAGE_URL_SECONDS) : null;
}

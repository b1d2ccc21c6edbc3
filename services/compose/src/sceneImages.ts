import {
  type BlobStore,
  conflict,
  contentHash,
  type DocStore,
  formatGsPath,
  notFound,
  type ProviderCallContext,
  type StoredDoc,
} from '@storyreel/shared';
import sharp from 'sharp';
import type { ImageProvider } from './imageProvider.js';
import { readOwnedProject } from './projectAccess.js';
import { type Aspect, PROJECTS, type ProjectData, type Scene } from './projectModel.js';
import { newSeed } from './randomIds.js';

/**
 * Scene images, stored at
 * `gs://<media>/users/<uid>/projects/<pid>/images/<hash>.jpg` where the hash
 * covers every input of the picture (prompt, style, aspect, size, seed and
 * the generator's id and version). An unchanged scene finds its picture
 * already stored and reuses it (`cached: true`); any change makes a new one.
 */
export interface ImagePorts {
  docs: DocStore;
  blobs: BlobStore;
  images: ImageProvider;
  mediaBucket: string;
}

export const IMAGE_SIZE: Record<Aspect, { width: number; height: number }> = {
  '16:9': { width: 1920, height: 1080 },
  '9:16': { width: 1080, height: 1920 },
  '1:1': { width: 1080, height: 1080 },
};

/** Two pictures drawn at once: the offline illustrator is CPU-bound and Cloud Run gives compose one or two cores. */
const CONCURRENCY = 2;

interface ImageInputs {
  prompt: string;
  style: ProjectData['style'];
  aspect: Aspect;
  seed: number;
}

export function imagePathFor(ports: ImagePorts, uid: string, projectId: string, inputs: ImageInputs): string {
  const size = IMAGE_SIZE[inputs.aspect];
  const hash = contentHash(
    { ...inputs, ...size, generator: ports.images.id, generatorVersion: ports.images.version },
    32,
  );
  return formatGsPath(ports.mediaBucket, `users/${uid}/projects/${projectId}/images/${hash}.jpg`);
}

/** Draws (or finds) the picture for these inputs; never touches the project document. */
async function ensureImage(
  ports: ImagePorts,
  path: string,
  inputs: ImageInputs,
  context: ProviderCallContext,
): Promise<boolean> {
  if (await ports.blobs.exists(path)) return true;
  const size = IMAGE_SIZE[inputs.aspect];
  const drawn = await ports.images.generate(
    inputs.prompt,
    { style: inputs.style, ...size, seed: inputs.seed },
    context,
  );
  await ports.blobs.put(path, await asJpeg(drawn, size.width, size.height), { contentType: 'image/jpeg' });
  return false;
}

/** A provider may answer with PNG or another size; what is stored is always a JPEG of the aspect's size. */
async function asJpeg(image: Buffer, width: number, height: number): Promise<Buffer> {
  const meta = await sharp(image).metadata();
  if (meta.format === 'jpeg' && meta.width === width && meta.height === height) return image;
  return sharp(image)
    .resize(width, height, { fit: 'cover' })
    .flatten({ background: '#000000' })
    .jpeg({ quality: 88 })
    .toBuffer();
}

export interface ImageChange {
  prompt?: string;
  seed?: number;
  /** A fresh random seed: "draw it again, differently". */
  reroll?: boolean;
}

export interface SceneImageResult {
  project: StoredDoc<ProjectData>;
  scene: Scene;
  cached: boolean;
}

export async function generateSceneImage(
  ports: ImagePorts,
  uid: string,
  projectId: string,
  sceneId: string,
  change: ImageChange,
): Promise<SceneImageResult> {
  const doc = await readOwnedProject(ports.docs, uid, projectId);
  const scene = doc.data.scenes.find((s) => s.id === sceneId);
  if (!scene) throw notFound('scene');
  const inputs: ImageInputs = {
    prompt: change.prompt?.trim() || scene.imagePrompt,
    style: doc.data.style,
    aspect: doc.data.aspect,
    seed: change.reroll ? newSeed() : (change.seed ?? scene.seed),
  };
  const path = imagePathFor(ports, uid, projectId, inputs);
  const cached = await ensureImage(ports, path, inputs, { userId: uid });
  const project = await recordImages(ports.docs, doc, [{ sceneId, before: scene, inputs, path }]);
  const updated = project.data.scenes.find((s) => s.id === sceneId) as Scene;
  return { project, scene: updated, cached };
}

export interface MissingImagesResult {
  project: StoredDoc<ProjectData>;
  generated: number;
  cached: number;
  /** Every scene that now has a current image (what the movie job's images step needs). */
  scenes: { id: string; imagePath: string }[];
}

export interface MissingImagesOptions {
  /** Stops between pictures (a cancelled job, a shutdown). */
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

/** Every scene without a current picture gets one; the movie job's images step runs this too. */
export async function generateMissingImages(
  ports: ImagePorts,
  uid: string,
  projectId: string,
  options: MissingImagesOptions = {},
): Promise<MissingImagesResult> {
  const doc = await readOwnedProject(ports.docs, uid, projectId);
  const work = doc.data.scenes
    .filter((s) => !s.imagePath)
    .map((scene) => {
      const inputs: ImageInputs = {
        prompt: scene.imagePrompt,
        style: doc.data.style,
        aspect: doc.data.aspect,
        seed: scene.seed,
      };
      return {
        sceneId: scene.id,
        before: scene,
        inputs,
        path: imagePathFor(ports, uid, projectId, inputs),
        cached: false,
      };
    });
  let next = 0;
  let done = 0;
  options.onProgress?.(0, work.length);
  const worker = async () => {
    while (next < work.length) {
      options.signal?.throwIfAborted();
      const item = work[next++] as (typeof work)[number];
      item.cached = await ensureImage(ports, item.path, item.inputs, { userId: uid, signal: options.signal });
      options.onProgress?.(++done, work.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, work.length) }, worker));
  const project = work.length > 0 ? await recordImages(ports.docs, doc, work) : doc;
  const cached = work.filter((w) => w.cached).length;
  const scenes = project.data.scenes.flatMap((s) => (s.imagePath ? [{ id: s.id, imagePath: s.imagePath }] : []));
  return { project, generated: work.length - cached, cached, scenes };
}

interface Drawn {
  sceneId: string;
  /** The scene as it was when drawing started. */
  before: Scene;
  inputs: ImageInputs;
  path: string;
}

/**
 * Writes image paths into the project in one transaction. Drawing takes a
 * while; if the user changed a scene's prompt or seed, or the project's style
 * or aspect, meanwhile, that picture no longer fits and is not recorded.
 */
async function recordImages(
  docs: DocStore,
  read: StoredDoc<ProjectData>,
  drawn: readonly Drawn[],
): Promise<StoredDoc<ProjectData>> {
  const single = drawn.length === 1;
  await docs.transaction(async (tx) => {
    const current = await tx.get<ProjectData>(PROJECTS, read.id);
    if (!current || current.data.owner !== read.data.owner) throw notFound('project');
    if (current.data.style !== read.data.style || current.data.aspect !== read.data.aspect) {
      throw conflict('the project style or aspect changed while images were drawn; generate them again', {
        version: current.version,
      });
    }
    const byScene = new Map(drawn.map((d) => [d.sceneId, d]));
    let changed = false;
    const scenes = current.data.scenes.map((scene) => {
      const d = byScene.get(scene.id);
      if (!d) return scene;
      const untouched = scene.imagePrompt === d.before.imagePrompt && scene.seed === d.before.seed;
      if (!untouched) {
        if (single)
          throw conflict('the scene changed while its image was drawn; generate it again', {
            version: current.version,
          });
        return scene;
      }
      if (scene.imagePath === d.path && scene.imagePrompt === d.inputs.prompt && scene.seed === d.inputs.seed)
        return scene;
      changed = true;
      return { ...scene, imagePrompt: d.inputs.prompt, seed: d.inputs.seed, imagePath: d.path };
    });
    if (single && !current.data.scenes.some((s) => s.id === drawn[0]?.sceneId)) throw notFound('scene');
    if (changed) tx.update<ProjectData>(PROJECTS, read.id, { scenes, updatedAt: new Date().toISOString() });
  });
  const after = await docs.get<ProjectData>(PROJECTS, read.id);
  if (!after) throw notFound('project');
  return after;
}

import { extname } from 'node:path';
import { type BlobStore, conflict, type DocStore, formatGsPath, type Logger, notFound } from '@storyreel/shared';
import type { RenderRecord } from '../jobs/movieOutcomes.js';
import { readOwnedProject } from '../projectAccess.js';
import { PROJECTS, type ProjectData } from '../projectModel.js';
import { PUBLICATIONS, type Publication, type PublicationView, publicationView } from './publication.js';
import { newPublicId, newRevision } from './publicId.js';
import {
  isLive,
  PUBLIC_MOVIES,
  type PublicMovieDoc,
  type PublishedMovie,
  publicFolder,
  type RemovedMovie,
} from './publicMovie.js';
import { chooseRender, type RenderObjects, renderObjects } from './renderChoice.js';
import { SOCIAL_IMAGE, socialImage } from './socialImage.js';

export interface PublishingPorts {
  docs: DocStore;
  blobs: BlobStore;
  buckets: { media: string; public: string };
  /** PUBLIC_BASE_URL: share links are built on it. */
  baseUrl: string;
  log: Logger;
  now?: () => Date;
}

export interface PublishRequest {
  /** Default: the project's latest finished movie. */
  jobId?: string | undefined;
  /** Default: the project's title. */
  title?: string | undefined;
  /** Default: a line naming the movie's length (the story itself stays private). */
  description?: string | undefined;
}

type PublicFiles = Pick<PublishedMovie, 'videoUrl' | 'posterUrl' | 'image' | 'gifUrl' | 'vttUrl'>;

/** Every object under the folder `prefix` (ending in `/`) of the public bucket, except those under the folder `keep`. */
async function removePublicObjects(ports: PublishingPorts, prefix: string, keep?: string): Promise<void> {
  const folder = (key: string) => `gs://${ports.buckets.public}/${key}`;
  const objects = await ports.blobs.list(folder(prefix));
  const doomed = keep ? objects.filter((o) => !o.path.startsWith(folder(keep))) : objects;
  await Promise.all(doomed.map((o) => ports.blobs.delete(o.path)));
}

/** Clean-up that may fail without failing the request: left-overs cost storage, not correctness. */
async function tidy(ports: PublishingPorts, prefix: string, keep?: string): Promise<void> {
  try {
    await removePublicObjects(ports, prefix, keep);
  } catch (err) {
    ports.log.warn({ err, prefix }, 'could not remove stale public objects');
  }
}

/**
 * The link-preview image, made from the poster at 1200x630. A poster sharp
 * cannot read is shown as it is, at the movie's size: a preview with the
 * wrong shape beats none.
 */
async function previewImage(
  ports: PublishingPorts,
  poster: { from: string; url: string },
  folder: string,
  render: RenderRecord,
): Promise<PublishedMovie['image']> {
  try {
    const to = formatGsPath(ports.buckets.public, `${folder}og.jpg`);
    await ports.blobs.put(to, await socialImage(await ports.blobs.get(poster.from)), { contentType: 'image/jpeg' });
    return { url: ports.blobs.publicUrl(to), ...SOCIAL_IMAGE };
  } catch (err) {
    ports.log.warn({ err, poster: poster.from }, 'could not make the 1200x630 preview image; using the poster');
    return { url: poster.url, width: render.width, height: render.height };
  }
}

async function copyToPublic(
  ports: PublishingPorts,
  objects: RenderObjects,
  folder: string,
  render: RenderRecord,
): Promise<PublicFiles> {
  const copy = async (from: string | null, name: string) => {
    if (!from) return null;
    const to = formatGsPath(ports.buckets.public, `${folder}${name}`);
    await ports.blobs.copy(from, to);
    return ports.blobs.publicUrl(to);
  };
  const [videoUrl, posterUrl, gifUrl, vttUrl] = await Promise.all([
    copy(objects.video, 'movie.mp4'),
    copy(objects.poster, `poster${extname(objects.poster ?? '') || '.jpg'}`),
    copy(objects.gif, 'movie.gif'),
    copy(objects.vtt, 'captions.vtt'),
  ]);
  const image =
    objects.poster && posterUrl
      ? await previewImage(ports, { from: objects.poster, url: posterUrl }, folder, render)
      : null;
  return { videoUrl: videoUrl as string, posterUrl, image, gifUrl, vttUrl };
}

/**
 * Publishes a project's movie: copies it (video, poster, preview image, GIF,
 * captions) to `gs://<public>/movies/<publicId>/<revision>/`, writes the
 * public document and the private publication in one transaction, then
 * removes what an earlier publish of the project left.
 *
 * Publishing again keeps the public id, so links already shared show the new
 * version; each publish writes a new revision folder, so no cache serves the
 * old video under the new page. After an unpublish the old link stays dead
 * (410) and publishing makes a new one.
 */
export async function publishMovie(
  ports: PublishingPorts,
  uid: string,
  projectId: string,
  request: PublishRequest,
): Promise<PublicationView> {
  const now = ports.now ?? (() => new Date());
  const project = (await readOwnedProject(ports.docs, uid, projectId)).data;
  const render = await chooseRender(ports.docs, { uid, projectId, jobId: request.jobId });
  const objects = renderObjects(render.data, ports.buckets.media);
  const before = (await ports.docs.get<Publication>(PUBLICATIONS, projectId))?.data ?? null;
  const reuse = before !== null && (await isLive(ports.docs, before.publicId));
  const publicId = reuse && before ? before.publicId : newPublicId();
  const folder = `${publicFolder(publicId)}${newRevision()}/`;

  let publication: Publication;
  try {
    const files = await copyToPublic(ports, objects, folder, render.data);
    const at = now().toISOString();
    publication = await ports.docs.transaction(async (tx) => {
      const current = await tx.get<Publication>(PUBLICATIONS, projectId);
      const existing = await tx.get<PublicMovieDoc>(PUBLIC_MOVIES, publicId);
      const owned = await tx.get<ProjectData>(PROJECTS, projectId);
      if (!owned || owned.data.owner !== uid) throw notFound('project');
      const raced =
        (current?.data.publicId ?? null) !== (before?.publicId ?? null) ||
        (reuse && existing?.data.status !== 'published');
      if (raced) throw conflict('the movie was published or unpublished meanwhile; try again');
      const publishedAt = existing?.data.status === 'published' ? existing.data.publishedAt : at;
      tx.set<PublishedMovie>(PUBLIC_MOVIES, publicId, {
        status: 'published',
        title: request.title ?? project.title,
        description:
          request.description ??
          `A ${Math.max(1, Math.round(render.data.durationSeconds))}-second movie made with storyreel.`,
        language: project.language,
        ...files,
        width: render.data.width,
        height: render.data.height,
        durationSeconds: render.data.durationSeconds,
        publishedAt,
        updatedAt: at,
      });
      const record: Publication = {
        owner: uid,
        projectId,
        publicId,
        jobId: render.id,
        videoUrl: files.videoUrl,
        publishedAt,
        updatedAt: at,
      };
      tx.set<Publication>(PUBLICATIONS, projectId, record);
      return record;
    });
  } catch (err) {
    await tidy(ports, folder);
    throw err;
  }
  await tidy(ports, publicFolder(publicId), folder);
  // An unpublish that stopped halfway left its old folder behind.
  if (before && before.publicId !== publicId) await tidy(ports, publicFolder(before.publicId));
  return publicationView(publication, ports.baseUrl);
}

/** The project's live publication, or 404. */
export async function readPublication(
  ports: PublishingPorts,
  uid: string,
  projectId: string,
): Promise<PublicationView> {
  const doc = await ports.docs.get<Publication>(PUBLICATIONS, projectId);
  if (!doc || doc.data.owner !== uid || !(await isLive(ports.docs, doc.data.publicId))) throw notFound('publication');
  return publicationView(doc.data, ports.baseUrl);
}

/**
 * Takes a movie down: the public document becomes a tombstone first (the page
 * answers 410 at once), then the public objects go, then the publication.
 * Each step can run again, so a retry after a failure finishes the job.
 * Does nothing when the project is not published. Does not check the project
 * itself, so it also serves a project being deleted.
 */
export async function unpublishMovie(ports: PublishingPorts, uid: string, projectId: string): Promise<void> {
  const now = ports.now ?? (() => new Date());
  const publication = await ports.docs.get<Publication>(PUBLICATIONS, projectId);
  if (!publication || publication.data.owner !== uid) return;
  const { publicId } = publication.data;
  await ports.docs.transaction(async (tx) => {
    const doc = await tx.get<PublicMovieDoc>(PUBLIC_MOVIES, publicId);
    if (doc?.data.status !== 'removed') {
      tx.set<RemovedMovie>(PUBLIC_MOVIES, publicId, { status: 'removed', removedAt: now().toISOString() });
    }
  });
  await removePublicObjects(ports, publicFolder(publicId));
  await ports.docs.transaction(async (tx) => {
    const current = await tx.get<Publication>(PUBLICATIONS, projectId);
    if (current?.data.publicId === publicId) tx.delete(PUBLICATIONS, projectId);
  });
}

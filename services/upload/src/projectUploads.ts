import { type BlobStore, COLLECTIONS, type DocStore, notFound, parseGsPath } from '@storyreel/shared';
import { type StoredUpload, storedUploadView, type UploadRecord } from './mediaIntake.js';
import { assertOwnedProject } from './projectAccess.js';
import { releaseStorage } from './uploadQuota.js';

export interface ProjectUploadsDeps {
  docs: DocStore;
  blobs: BlobStore;
  buckets: { media: string; public: string };
}

/** Draft media is private: links to it expire. */
export const MEDIA_URL_SECONDS = 3600;
const MAX_LISTED = 500;

export interface ListedUpload extends Omit<StoredUpload, 'cached'> {
  createdAt: string;
  source: 'upload' | 'url';
  url: string;
  thumbUrl: string | null;
}

export async function listProjectUploads(
  deps: ProjectUploadsDeps,
  uid: string,
  projectId: string,
): Promise<ListedUpload[]> {
  await assertOwnedProject(deps.docs, uid, projectId);
  const docs = await deps.docs.query<UploadRecord>(COLLECTIONS.uploads, {
    where: [
      ['owner', '==', uid],
      ['projectId', '==', projectId],
    ],
    limit: MAX_LISTED,
  });
  // Sorted here rather than by the store: Firestore would need a composite index for it.
  docs.sort((a, b) => (a.data.createdAt < b.data.createdAt ? -1 : a.data.createdAt > b.data.createdAt ? 1 : 0));
  return Promise.all(
    docs.map(async ({ id, data }) => {
      const { cached: _, ...view } = storedUploadView(id, data, false);
      return {
        ...view,
        createdAt: data.createdAt,
        source: data.source,
        url: await deps.blobs.signedUrl(data.path, MEDIA_URL_SECONDS),
        thumbUrl: data.thumbPath ? await deps.blobs.signedUrl(data.thumbPath, MEDIA_URL_SECONDS) : null,
      };
    }),
  );
}

/** Deletes an upload's files and record and gives its bytes back to the owner's storage. */
export async function deleteProjectUpload(
  deps: ProjectUploadsDeps,
  uid: string,
  projectId: string,
  uploadId: string,
): Promise<void> {
  await assertOwnedProject(deps.docs, uid, projectId);
  const doc = /^[a-f0-9]{32}$/.test(uploadId) ? await deps.docs.get<UploadRecord>(COLLECTIONS.uploads, uploadId) : null;
  if (!doc || doc.data.owner !== uid || doc.data.projectId !== projectId) throw notFound('upload');
  await deps.blobs.delete(doc.data.path);
  if (doc.data.thumbPath) await deps.blobs.delete(doc.data.thumbPath);
  await deps.docs.delete(COLLECTIONS.uploads, doc.id);
  await releaseStorage(deps.docs, uid, doc.data.bytes + doc.data.thumbBytes);
}

/**
 * A short-lived URL of one of the caller's uploaded files. A path with
 * traversal or another bucket is refused (400) before anything is read; a
 * path of another user, or outside uploads, answers like a missing one (404).
 */
export async function signedUploadUrl(
  deps: ProjectUploadsDeps,
  uid: string,
  path: string,
): Promise<{ path: string; url: string; expiresAt: string }> {
  const { bucket, key } = parseGsPath(path, [deps.buckets.media, deps.buckets.public]);
  const segments = key.split('/');
  const owned =
    bucket === deps.buckets.media &&
    segments.length === 6 &&
    segments[0] === 'users' &&
    segments[1] === uid &&
    segments[2] === 'projects' &&
    segments[4] === 'uploads';
  if (!owned || !(await deps.blobs.exists(path))) throw notFound('upload');
  const expiresAt = new Date(Date.now() + MEDIA_URL_SECONDS * 1000).toISOString();
  return { path, url: await deps.blobs.signedUrl(path, MEDIA_URL_SECONDS), expiresAt };
}

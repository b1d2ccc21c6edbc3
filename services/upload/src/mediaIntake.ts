import { stat } from 'node:fs/promises';
import {
  AppError,
  type BlobStore,
  COLLECTIONS,
  contentHash,
  type DocStore,
  formatGsPath,
  isAppError,
  type UserCaller,
} from '@storyreel/shared';
import { probeAudio } from './audioProbe.js';
import { NORMALISED_CONTENT_TYPE, NORMALISER_VERSION, normaliseImage } from './imageNormaliser.js';
import { assertDeclared, FORMATS, type MediaFormat, type MediaKind, sniffFormat } from './mediaSniffer.js';
import { maxBytesFor, type UploadLimits, type UploadQuotas } from './uploadLimits.js';
import { chargeUpload, checkUploadQuota } from './uploadQuota.js';

/** A stored upload (collection `uploads`), one per user, project and content. */
export interface UploadRecord {
  owner: string;
  projectId: string;
  kind: MediaKind;
  /** The format the bytes arrived in. */
  sourceFormat: MediaFormat;
  path: string;
  thumbPath: string | null;
  contentType: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  /** Stored sizes, counted against the owner's storage. */
  bytes: number;
  thumbBytes: number;
  /** Of the bytes as received: the upload's checksum and the cache key. */
  sha256: string;
  sourceBytes: number;
  source: 'upload' | 'url';
  sourceUrl: string | null;
  normaliserVersion: number | null;
  createdAt: string;
}

export interface StoredUpload {
  uploadId: string;
  path: string;
  thumbPath: string | null;
  kind: MediaKind;
  contentType: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  bytes: number;
  sha256: string;
  /** The same bytes were already stored in this project: nothing new was written. */
  cached: boolean;
}

export interface IntakeDeps {
  docs: DocStore;
  blobs: BlobStore;
  mediaBucket: string;
  limits: UploadLimits;
  quotas: UploadQuotas;
  ffprobePath: string;
}

export interface IntakeInput {
  caller: UserCaller;
  projectId: string;
  kind: MediaKind;
  /** The format the client declared; the bytes must agree. Omitted for URL ingest, where nobody declares one. */
  declared?: MediaFormat;
  /** A local file holding exactly the bytes received, already checked against `sha256`. */
  file: string;
  sha256: string;
  source: 'upload' | 'url';
  sourceUrl?: string;
}

export const uploadIdOf = (owner: string, projectId: string, sha256: string) =>
  contentHash({ owner, projectId, sha256 }, 32);

export function storedUploadView(id: string, record: UploadRecord, cached: boolean): StoredUpload {
  return {
    uploadId: id,
    path: record.path,
    thumbPath: record.thumbPath,
    kind: record.kind,
    contentType: record.contentType,
    width: record.width,
    height: record.height,
    durationSeconds: record.durationSeconds,
    bytes: record.bytes,
    sha256: record.sha256,
    cached,
  };
}

/**
 * Turns verified bytes into a stored upload: sniffed, checked against the
 * limits, normalised (images) or probed (audio), written under the project
 * keyed by the content hash, recorded, and charged. Bytes this project
 * already holds are not processed or stored again (`cached: true`).
 */
export async function intakeMedia(deps: IntakeDeps, input: IntakeInput): Promise<StoredUpload> {
  const { caller, projectId, sha256 } = input;
  const owner = caller.uid;
  const uploadId = uploadIdOf(owner, projectId, sha256);
  const { size: sourceBytes } = await stat(input.file);

  const existing = await deps.docs.get<UploadRecord>(COLLECTIONS.uploads, uploadId);
  if (existing && (await deps.blobs.exists(existing.data.path))) {
    await checkUploadQuota(deps.docs, deps.quotas, caller, { receivedBytes: sourceBytes, storedBytes: 0 });
    await chargeUpload(deps.docs, owner, { receivedBytes: sourceBytes, storedBytes: 0 });
    return storedUploadView(uploadId, existing.data, true);
  }

  const format = await sniffFormat(input.file, input.kind);
  if (input.declared) assertDeclared(input.declared, format);
  const maxBytes = maxBytesFor(deps.limits, input.kind);
  if (sourceBytes > maxBytes) {
    throw new AppError('payload_too_large', `the ${input.kind} is larger than ${maxBytes} bytes`, { limit: maxBytes });
  }

  const base = `users/${owner}/projects/${projectId}/uploads/${sha256}`;
  const now = new Date().toISOString();
  const common = {
    owner,
    projectId,
    kind: input.kind,
    sourceFormat: format,
    sha256,
    sourceBytes,
    source: input.source,
    sourceUrl: input.sourceUrl ?? null,
    createdAt: now,
  };
  let record: UploadRecord;
  if (input.kind === 'image') {
    const image = await normaliseImage(input.file, format, deps.limits);
    await checkUploadQuota(deps.docs, deps.quotas, caller, {
      receivedBytes: sourceBytes,
      storedBytes: image.image.length + image.thumbnail.length,
    });
    const path = formatGsPath(deps.mediaBucket, `${base}.jpg`);
    const thumbPath = formatGsPath(deps.mediaBucket, `${base}.thumb.jpg`);
    await deps.blobs.put(path, image.image, { contentType: NORMALISED_CONTENT_TYPE });
    await deps.blobs.put(thumbPath, image.thumbnail, { contentType: NORMALISED_CONTENT_TYPE });
    record = {
      ...common,
      path,
      thumbPath,
      contentType: NORMALISED_CONTENT_TYPE,
      width: image.width,
      height: image.height,
      durationSeconds: null,
      bytes: image.image.length,
      thumbBytes: image.thumbnail.length,
      normaliserVersion: NORMALISER_VERSION,
    };
  } else {
    const audio = await probeAudio(deps.ffprobePath, input.file, format, deps.limits.maxAudioSeconds);
    await checkUploadQuota(deps.docs, deps.quotas, caller, { receivedBytes: sourceBytes, storedBytes: sourceBytes });
    const { ext, contentType } = FORMATS[format];
    const path = formatGsPath(deps.mediaBucket, `${base}.${ext}`);
    // Audio is kept as sent: re-encoding narration would only lose quality before the render mixes it.
    await deps.blobs.putFile(path, input.file, { contentType });
    record = {
      ...common,
      path,
      thumbPath: null,
      contentType,
      width: null,
      height: null,
      durationSeconds: audio.durationSeconds,
      bytes: sourceBytes,
      thumbBytes: 0,
      normaliserVersion: null,
    };
  }

  if (existing) {
    // Its objects had gone missing; the record's bytes are still counted against the owner.
    await deps.docs.set<UploadRecord>(COLLECTIONS.uploads, uploadId, record);
    await chargeUpload(deps.docs, owner, { receivedBytes: sourceBytes, storedBytes: 0 });
    return storedUploadView(uploadId, record, false);
  }
  try {
    await deps.docs.create<UploadRecord>(COLLECTIONS.uploads, uploadId, record);
  } catch (err) {
    // The same bytes finished at the same moment in another request: that one stored and charged them.
    if (isAppError(err) && err.code === 'conflict') {
      await chargeUpload(deps.docs, owner, { receivedBytes: sourceBytes, storedBytes: 0 });
      return storedUploadView(uploadId, record, true);
    }
    throw err;
  }
  await chargeUpload(deps.docs, owner, { receivedBytes: sourceBytes, storedBytes: record.bytes + record.thumbBytes });
  return storedUploadView(uploadId, record, false);
}

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppError,
  badRequest,
  conflict,
  type DocStore,
  isAppError,
  notFound,
  rateLimited,
  type StoredDoc,
  type UserCaller,
} from '@storyreel/shared';
import { readExactly } from './chunkReader.js';
import type { ContentRange } from './contentRange.js';
import { type IntakeDeps, intakeMedia, type StoredUpload } from './mediaIntake.js';
import { declaredFormat, type MediaFormat, type MediaKind } from './mediaSniffer.js';
import { assertOwnedProject } from './projectAccess.js';
import { assembleParts, deleteStaging, partPath, stagingPrefix } from './stagingArea.js';
import { maxBytesFor } from './uploadLimits.js';
import { checkUploadQuota } from './uploadQuota.js';

export const UPLOAD_SESSIONS = 'upload_sessions';

export type SessionStatus = 'open' | 'completing' | 'completed' | 'failed';

export interface UploadSession {
  owner: string;
  projectId: string;
  kind: MediaKind;
  contentType: string;
  format: MediaFormat;
  size: number;
  sha256: string;
  /** Bytes stored so far: the next chunk must start here. */
  offset: number;
  /** Lengths of the stored chunks, in order; chunk i starts at the sum of those before it. */
  parts: number[];
  status: SessionStatus;
  /** When a completion began, so one that died can be taken over once it is stale. */
  completingSince: string | null;
  result: StoredUpload | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  /** A Firestore TTL policy may drop the document after this; the sweep removes its chunks. */
  expiresAt: string;
}

export interface SessionView {
  id: string;
  uploadUrl: string;
  projectId: string;
  kind: MediaKind;
  contentType: string;
  size: number;
  offset: number;
  percent: number;
  chunkSize: number;
  minChunkSize: number;
  status: SessionStatus | 'expired';
  expiresAt: string;
  upload: StoredUpload | null;
  error: { code: string; message: string } | null;
}

export interface SessionDeps extends IntakeDeps {
  now: () => Date;
}

export interface CreateSessionInput {
  projectId: string;
  kind: MediaKind;
  size: number;
  contentType: string;
  sha256: string;
}

/** A completion older than this is presumed dead (its instance stopped) and may be retried. */
export const COMPLETION_LEASE_MS = 5 * 60_000;
export const SESSION_ID = /^up_[A-Za-z0-9_-]{24}$/;

const isExpired = (session: UploadSession, now: Date) =>
  session.status !== 'completed' && Date.parse(session.expiresAt) <= now.getTime();

export function sessionView(deps: Pick<SessionDeps, 'limits' | 'now'>, doc: StoredDoc<UploadSession>): SessionView {
  const s = doc.data;
  return {
    id: doc.id,
    uploadUrl: `/v1/uploads/${doc.id}`,
    projectId: s.projectId,
    kind: s.kind,
    contentType: s.contentType,
    size: s.size,
    offset: s.offset,
    percent: Math.floor((s.offset / s.size) * 100),
    chunkSize: deps.limits.chunkBytes,
    minChunkSize: deps.limits.minChunkBytes,
    status: isExpired(s, deps.now()) ? 'expired' : s.status,
    expiresAt: s.expiresAt,
    upload: s.result,
    error: s.error,
  };
}

/** Another user's session answers exactly like a missing one. */
export async function readOwnedSession(docs: DocStore, uid: string, id: string): Promise<StoredDoc<UploadSession>> {
  if (!SESSION_ID.test(id)) throw notFound('upload');
  const doc = await docs.get<UploadSession>(UPLOAD_SESSIONS, id);
  if (!doc || doc.data.owner !== uid) throw notFound('upload');
  return doc;
}

function assertWritable(session: UploadSession, now: Date): void {
  if (isExpired(session, now)) {
    throw new AppError('gone', 'this upload session expired; start a new one', { expiresAt: session.expiresAt });
  }
  if (session.status === 'completed') throw conflict('this upload is already complete');
  if (session.status === 'failed') {
    throw conflict(`this upload failed (${session.error?.message ?? 'unknown'}); start a new one`, {
      error: session.error,
    });
  }
}

async function assertRoomForSession(deps: SessionDeps, uid: string): Promise<void> {
  const now = deps.now();
  const mine = await deps.docs.query<UploadSession>(UPLOAD_SESSIONS, { where: [['owner', '==', uid]] });
  const open = mine.filter((d) => ['open', 'completing'].includes(d.data.status) && !isExpired(d.data, now));
  if (open.length < deps.limits.maxOpenSessions) return;
  const soonest = Math.min(...open.map((d) => Date.parse(d.data.expiresAt)));
  throw rateLimited(
    `you have ${open.length} unfinished uploads; finish or cancel one (DELETE /v1/uploads/:id) first`,
    Math.max(1, Math.ceil((soonest - now.getTime()) / 1000)),
    { open: open.length, limit: deps.limits.maxOpenSessions },
  );
}

export async function createSession(
  deps: SessionDeps,
  caller: UserCaller,
  input: CreateSessionInput,
): Promise<SessionView> {
  await assertOwnedProject(deps.docs, caller.uid, input.projectId);
  const format = declaredFormat(input.kind, input.contentType);
  const maxBytes = maxBytesFor(deps.limits, input.kind);
  if (input.size > maxBytes) {
    throw new AppError(
      'payload_too_large',
      `${input.kind}s may be at most ${maxBytes} bytes; this one is ${input.size}`,
      {
        limit: maxBytes,
        size: input.size,
      },
    );
  }
  // The declared size stands in for the stored size until the file is processed.
  await checkUploadQuota(deps.docs, deps.quotas, caller, { receivedBytes: input.size, storedBytes: input.size });
  await assertRoomForSession(deps, caller.uid);
  const now = deps.now();
  const id = `up_${randomBytes(18).toString('base64url')}`;
  const doc = await deps.docs.create<UploadSession>(UPLOAD_SESSIONS, id, {
    owner: caller.uid,
    projectId: input.projectId,
    kind: input.kind,
    contentType: input.contentType.split(';')[0]!.trim().toLowerCase(),
    format,
    size: input.size,
    sha256: input.sha256.toLowerCase(),
    offset: 0,
    parts: [],
    status: 'open',
    completingSince: null,
    result: null,
    error: null,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.limits.sessionTtlSeconds * 1000).toISOString(),
  });
  return sessionView(deps, doc);
}

const offsetConflict = (message: string, offset: number) => conflict(message, { offset });

/**
 * Stores one chunk. It must start where the stored bytes end (else 409 with
 * the offset to resume from); it is stored whole or not at all, so a
 * dropped connection leaves the offset at the last complete chunk.
 */
export async function putChunk(
  deps: SessionDeps,
  caller: UserCaller,
  id: string,
  range: ContentRange,
  body: AsyncIterable<Uint8Array>,
  contentLength: number | undefined,
): Promise<SessionView> {
  const doc = await readOwnedSession(deps.docs, caller.uid, id);
  const session = doc.data;
  assertWritable(session, deps.now());
  if (session.status === 'completing') throw conflict('this upload is being completed');
  if (range.total !== session.size) {
    throw badRequest(`Content-Range total must be the upload's size, ${session.size}`, { total: range.total });
  }
  if (range.start !== session.offset) {
    throw offsetConflict(`the next chunk starts at byte ${session.offset}`, session.offset);
  }
  const length = range.end - range.start + 1;
  if (length > deps.limits.chunkBytes) {
    throw new AppError('payload_too_large', `chunks may be at most ${deps.limits.chunkBytes} bytes`, {
      limit: deps.limits.chunkBytes,
    });
  }
  const last = range.end + 1 === session.size;
  if (!last && length < deps.limits.minChunkBytes) {
    throw badRequest(`every chunk but the last must be at least ${deps.limits.minChunkBytes} bytes`, {
      minChunkSize: deps.limits.minChunkBytes,
    });
  }
  if (contentLength !== undefined && contentLength !== length) {
    throw badRequest('Content-Length does not match Content-Range', { contentLength, rangeLength: length });
  }
  const bytes = await readExactly(body, length);
  await deps.blobs.put(partPath(deps.mediaBucket, caller.uid, id, range.start), bytes, {
    contentType: 'application/octet-stream',
  });
  try {
    const updated = await deps.docs.update<UploadSession>(
      UPLOAD_SESSIONS,
      id,
      { offset: range.end + 1, parts: [...session.parts, length] },
      { expectedVersion: doc.version },
    );
    return sessionView(deps, updated);
  } catch (err) {
    if (isAppError(err) && err.code === 'conflict') {
      // Another request moved the session on meanwhile; the caller resumes from what is stored now.
      const fresh = await readOwnedSession(deps.docs, caller.uid, id);
      throw offsetConflict(
        `the upload moved on; the next chunk starts at byte ${fresh.data.offset}`,
        fresh.data.offset,
      );
    }
    throw err;
  }
}

/** Claims the session for completion, so two completions never process (and charge) it twice. */
async function claimCompletion(deps: SessionDeps, doc: StoredDoc<UploadSession>): Promise<StoredDoc<UploadSession>> {
  const now = deps.now();
  const s = doc.data;
  if (s.status === 'completing' && now.getTime() - Date.parse(s.completingSince ?? '') < COMPLETION_LEASE_MS) {
    throw conflict('this upload is already being completed; GET it to see the result');
  }
  try {
    return await deps.docs.update<UploadSession>(
      UPLOAD_SESSIONS,
      doc.id,
      { status: 'completing', completingSince: now.toISOString() },
      { expectedVersion: doc.version },
    );
  } catch (err) {
    if (isAppError(err) && err.code === 'conflict') throw conflict('this upload changed meanwhile; try again');
    throw err;
  }
}

/**
 * Finishes an upload: every byte must be stored, the sha256 of the stored
 * bytes must equal the declared one, then the file is sniffed, checked,
 * normalised and stored. A refusal fails the session and drops its chunks
 * (nothing of it is kept); a failure on our side leaves it open to retry.
 * A repeat after success answers the same result.
 */
export async function completeSession(deps: SessionDeps, caller: UserCaller, id: string): Promise<SessionView> {
  const doc = await readOwnedSession(deps.docs, caller.uid, id);
  if (doc.data.status === 'completed') return sessionView(deps, doc);
  assertWritable(doc.data, deps.now());
  const { offset, size } = doc.data;
  if (offset < size) {
    throw conflict(`the upload is incomplete: ${offset} of ${size} bytes stored`, { offset, size });
  }
  const claimed = await claimCompletion(deps, doc);
  const session = claimed.data;
  const prefix = stagingPrefix(deps.mediaBucket, caller.uid, id);
  const work = await mkdtemp(join(tmpdir(), 'upload-'));
  try {
    const file = join(work, 'source');
    let start = 0;
    const parts = session.parts.map((length) => {
      const part = { path: partPath(deps.mediaBucket, caller.uid, id, start), length };
      start += length;
      return part;
    });
    const assembled = await assembleParts(deps.blobs, parts, file);
    if (assembled.bytes !== session.size || assembled.sha256 !== session.sha256) {
      throw badRequest('the stored bytes do not match the declared sha256; upload the file again', {
        reason: 'checksum_mismatch',
        expected: session.sha256,
        actual: assembled.sha256,
        bytes: assembled.bytes,
      });
    }
    const result = await intakeMedia(deps, {
      caller,
      projectId: session.projectId,
      kind: session.kind,
      declared: session.format,
      file,
      sha256: session.sha256,
      source: 'upload',
    });
    const done = await deps.docs.update<UploadSession>(UPLOAD_SESSIONS, id, {
      status: 'completed',
      completingSince: null,
      result,
    });
    await deleteStaging(deps.blobs, prefix);
    return sessionView(deps, done);
  } catch (err) {
    if (isAppError(err) && err.status < 500 && err.code !== 'rate_limited') {
      await deps.docs.update<UploadSession>(UPLOAD_SESSIONS, id, {
        status: 'failed',
        completingSince: null,
        error: { code: err.code, message: err.message },
      });
      await deleteStaging(deps.blobs, prefix);
    } else {
      // Our failure, or a quota that frees up later: the stored chunks stay and completion can be retried.
      await deps.docs.update<UploadSession>(UPLOAD_SESSIONS, id, { status: 'open', completingSince: null });
    }
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Cancels an unfinished upload and drops its chunks; a finished one keeps its stored file. */
export async function abortSession(deps: SessionDeps, caller: UserCaller, id: string): Promise<void> {
  const doc = await readOwnedSession(deps.docs, caller.uid, id);
  if (doc.data.status === 'completing') throw conflict('this upload is being completed');
  await deleteStaging(deps.blobs, stagingPrefix(deps.mediaBucket, caller.uid, id));
  await deps.docs.delete(UPLOAD_SESSIONS, id);
}

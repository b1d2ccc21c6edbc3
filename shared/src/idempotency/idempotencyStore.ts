import { COLLECTIONS, type DocStore, type StoredDoc } from '../docs/port.js';
import { AppError, conflict, inProgress } from '../errors.js';

/** How long a finished request's answer is replayed for a repeated key. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/**
 * A pending record older than this belongs to a request whose process died:
 * the longest Cloud Run request timeout in the mesh (900 s) plus margin.
 */
export const PENDING_LEASE_MS = 16 * 60_000;

export interface IdempotencyRecord {
  /** Hash of method, path and body: a reused key must come with the same request. */
  fingerprint: string;
  state: 'pending' | 'done';
  status?: number;
  /** The response body as JSON text; absent for empty (204) answers. */
  bodyJson?: string;
  createdAt: string;
  leaseUntil: string;
  /** Also the field of a Firestore TTL policy. */
  expiresAt: string;
}

export type Claim = { kind: 'claimed'; version: number } | { kind: 'replay'; status: number; body: unknown };

const isLive = (record: IdempotencyRecord, now: number) =>
  Date.parse(record.expiresAt) > now && (record.state === 'done' || Date.parse(record.leaseUntil) > now);

function pendingRecord(fingerprint: string, now: number): IdempotencyRecord {
  return {
    fingerprint,
    state: 'pending',
    createdAt: new Date(now).toISOString(),
    leaseUntil: new Date(now + PENDING_LEASE_MS).toISOString(),
    expiresAt: new Date(now + IDEMPOTENCY_TTL_MS).toISOString(),
  };
}

function answerFor(record: IdempotencyRecord, fingerprint: string): Claim {
  if (record.fingerprint !== fingerprint) {
    throw conflict('this Idempotency-Key was already used with a different request; use a new key for a new request');
  }
  if (record.state === 'pending') throw inProgress('a request with this key is in progress');
  return {
    kind: 'replay',
    status: record.status ?? 200,
    body: record.bodyJson === undefined ? undefined : JSON.parse(record.bodyJson),
  };
}

const isConflict = (err: unknown) => err instanceof AppError && err.code === 'conflict';

/**
 * The first request with a key creates its pending record; the DocStore's
 * create is atomic, so of two racing requests exactly one runs. An expired
 * or abandoned record is replaced only if nobody replaced it first.
 */
export async function claimIdempotencyKey(
  docs: DocStore,
  id: string,
  fingerprint: string,
  now = Date.now(),
): Promise<Claim> {
  let existing: StoredDoc<IdempotencyRecord> | null;
  try {
    const created = await docs.create<IdempotencyRecord>(COLLECTIONS.idempotency, id, pendingRecord(fingerprint, now));
    return { kind: 'claimed', version: created.version };
  } catch (err) {
    if (!isConflict(err)) throw err;
    existing = await docs.get<IdempotencyRecord>(COLLECTIONS.idempotency, id);
  }
  if (existing && isLive(existing.data, now)) return answerFor(existing.data, fingerprint);
  try {
    const replaced = await docs.set<IdempotencyRecord>(COLLECTIONS.idempotency, id, pendingRecord(fingerprint, now), {
      expectedVersion: existing?.version ?? 0,
    });
    return { kind: 'claimed', version: replaced.version };
  } catch (err) {
    if (isConflict(err)) throw inProgress('a request with this key is in progress');
    throw err;
  }
}

/** Stores a successful answer for replays. */
export async function completeIdempotencyKey(
  docs: DocStore,
  id: string,
  version: number,
  answer: { status: number; body: unknown },
): Promise<void> {
  await docs.update<IdempotencyRecord>(
    COLLECTIONS.idempotency,
    id,
    {
      state: 'done',
      status: answer.status,
      ...(answer.body === undefined ? {} : { bodyJson: JSON.stringify(answer.body) }),
    },
    { expectedVersion: version },
  );
}

/** A failed request gives its key back, so the caller's retry runs for real. */
export async function releaseIdempotencyKey(docs: DocStore, id: string, version: number): Promise<void> {
  await docs.delete(COLLECTIONS.idempotency, id, { expectedVersion: version });
}

import type { App } from 'firebase-admin/app';
import {
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  getFirestore,
  type Query,
  type Transaction,
} from 'firebase-admin/firestore';
import { AppError, badRequest, conflict, isAppError, notFound, unavailable } from '../errors.js';
import { applyWrites, BufferedTransaction, type DocState } from './bufferedTransaction.js';
import { assertCollection, assertDocRef, parseFieldPath, toDocData } from './docInput.js';
import type { DocQuery, DocStore, DocTransaction, StoredDoc, WriteOptions } from './port.js';

export interface FirestoreDocStoreOptions {
  app: App;
  /** Runs of a transaction before Firestore gives up (its default, 5, is too few under contention). */
  maxAttempts?: number;
}

type Stored = Record<string, unknown> & { _version?: number; _updatedAt?: string };

const stateOf = (doc: StoredDoc<unknown> | null): DocState | null =>
  doc ? { data: doc.data as Record<string, unknown>, version: doc.version } : null;

/** The stored fields without the version bookkeeping kept beside them. */
function toDoc<T>(snap: DocumentSnapshot): StoredDoc<T> | null {
  if (!snap.exists) return null;
  const { _version, _updatedAt, ...data } = snap.data() as Stored;
  return {
    id: snap.id,
    data: data as T,
    version: typeof _version === 'number' ? _version : 0,
    updatedAt: typeof _updatedAt === 'string' ? _updatedAt : '',
  };
}

const GRPC = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNAVAILABLE: 14,
};

/** gRPC failures as the AppErrors callers expect; ours pass through. */
function mapFirestoreError(err: unknown): unknown {
  if (isAppError(err)) return err;
  const code = (err as { code?: unknown }).code;
  const message = (err as Error).message ?? String(err);
  switch (code) {
    case GRPC.ABORTED:
    case GRPC.ALREADY_EXISTS:
      return conflict('the document changed while it was being written; try again');
    case GRPC.NOT_FOUND:
      return notFound('document');
    case GRPC.INVALID_ARGUMENT:
      return badRequest(message);
    // Firestore answers FAILED_PRECONDITION for a query that needs a composite index.
    case GRPC.FAILED_PRECONDITION:
      return new AppError('internal', message);
    case GRPC.UNAVAILABLE:
    case GRPC.DEADLINE_EXCEEDED:
    case GRPC.RESOURCE_EXHAUSTED:
      return unavailable('the document store is unavailable', 1);
    default:
      return err;
  }
}

/**
 * DocStore on Firestore. Documents hold the caller's fields plus `_version`
 * and `_updatedAt`, stripped on read. Every write runs in a Firestore
 * transaction so the version bump and any expectedVersion check are atomic.
 */
export function openFirestoreDocStore(options: FirestoreDocStoreOptions): DocStore {
  const db: Firestore = getFirestore(options.app);
  const maxAttempts = options.maxAttempts ?? 50;
  const ref = (collection: string, id: string): DocumentReference => db.collection(collection).doc(id);

  const put = (t: Transaction, target: DocumentReference, state: DocState | null, now: string) => {
    if (state) t.set(target, { ...state.data, _version: state.version, _updatedAt: now });
    else t.delete(target);
  };

  const run = async <R>(fn: (t: Transaction) => Promise<R>): Promise<R> => {
    try {
      return await db.runTransaction(fn, { maxAttempts });
    } catch (err) {
      throw mapFirestoreError(err);
    }
  };

  const mutate = async <T>(
    collection: string,
    id: string,
    options: WriteOptions | undefined,
    next: (current: DocState | null) => DocState | null,
  ): Promise<StoredDoc<T> | null> => {
    assertDocRef(collection, id);
    const target = ref(collection, id);
    return run(async (t) => {
      const current = stateOf(toDoc(await t.get(target)));
      const expected = options?.expectedVersion;
      if (expected !== undefined && (current?.version ?? 0) !== expected) {
        throw conflict(`${collection}/${id} changed since it was read`, {
          expectedVersion: expected,
          version: current?.version ?? 0,
        });
      }
      const state = next(current);
      const now = new Date().toISOString();
      put(t, target, state, now);
      return state ? { id, data: state.data as T, version: state.version, updatedAt: now } : null;
    });
  };

  return {
    async get<T>(collection: string, id: string) {
      assertDocRef(collection, id);
      try {
        return toDoc<T>(await ref(collection, id).get());
      } catch (err) {
        throw mapFirestoreError(err);
      }
    },

    async set<T>(collection: string, id: string, data: T, options?: WriteOptions) {
      const json = toDocData(data);
      const what = `${collection}/${id}`;
      return (await mutate<T>(collection, id, options, (cur) =>
        applyWrites(cur, [{ kind: 'set', data: json }], what),
      )) as StoredDoc<T>;
    },

    async create<T>(collection: string, id: string, data: T) {
      const json = toDocData(data);
      const doc = await mutate<T>(collection, id, undefined, (cur) => {
        if (cur) throw conflict(`${collection}/${id} already exists`);
        return { data: json, version: 1 };
      });
      return doc as StoredDoc<T>;
    },

    async update<T>(collection: string, id: string, patch: Partial<T>, options?: WriteOptions) {
      const json = toDocData(patch);
      const what = `${collection}/${id}`;
      return (await mutate<T>(collection, id, options, (cur) =>
        applyWrites(cur, [{ kind: 'update', patch: json }], what),
      )) as StoredDoc<T>;
    },

    async delete(collection: string, id: string, options?: WriteOptions) {
      await mutate(collection, id, options, () => null);
    },

    async query<T>(collection: string, query: DocQuery = {}) {
      assertCollection(collection);
      let q: Query = db.collection(collection);
      for (const [field, op, value] of query.where ?? []) {
        parseFieldPath(field);
        // Firestore refuses an empty `in`; the embedded store answers it with nothing, so both do.
        if (op === 'in' && Array.isArray(value) && value.length === 0) return [];
        q = q.where(field, op, value);
      }
      for (const { field, direction = 'asc' } of query.orderBy ?? []) {
        parseFieldPath(field);
        q = q.orderBy(field, direction);
      }
      if (query.limit !== undefined) {
        if (!Number.isInteger(query.limit) || query.limit < 0) throw badRequest('limit must be a whole number');
        // Firestore reads limit(0) as no limit.
        if (query.limit === 0) return [];
        q = q.limit(query.limit);
      }
      try {
        const snap = await q.get();
        return snap.docs.map((d) => toDoc<T>(d) as StoredDoc<T>);
      } catch (err) {
        throw mapFirestoreError(err);
      }
    },

    async transaction<R>(fn: (tx: DocTransaction) => Promise<R>) {
      return run(async (t) => {
        const tx = new BufferedTransaction(async (collection, id) => toDoc(await t.get(ref(collection, id))));
        const result = await fn(tx);
        const docs = tx.docs().filter((doc) => doc.writes.length > 0);
        // Firestore wants every read before the first write, so targets the function did not read are read now.
        const states = await Promise.all(
          docs.map(async (doc) => {
            const target = ref(doc.collection, doc.id);
            const current = doc.read !== undefined ? stateOf(doc.read) : stateOf(toDoc(await t.get(target)));
            return { target, doc, current };
          }),
        );
        const now = new Date().toISOString();
        for (const { target, doc, current } of states) {
          put(t, target, applyWrites(current, doc.writes, `${doc.collection}/${doc.id}`), now);
        }
        return result;
      });
    },

    async close() {
      await db.terminate();
    },
  };
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { AppError, conflict, unavailable } from '../errors.js';
import { applyWrites, BufferedTransaction, type DocState } from './bufferedTransaction.js';
import { assertCollection, assertDocRef, toDocData } from './docInput.js';
import type { DocQuery, DocStore, DocTransaction, StoredDoc, WriteOptions } from './port.js';
import { buildSqliteQuery } from './sqliteQuery.js';

export interface SqliteDocStoreOptions {
  /** The database file; every process of the local mesh opens the same one. */
  path: string;
  /** How long a writer waits for another process's write lock. */
  busyTimeoutMs?: number;
  /** Runs of a transaction function before it gives up with `conflict`. */
  maxAttempts?: number;
}

interface Row {
  id: string;
  data: string;
  version: number;
  updated_at: string;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS docs (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data)),
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (collection, id)
)`;

const toDoc = <T>(row: Row): StoredDoc<T> => ({
  id: row.id,
  data: JSON.parse(row.data) as T,
  version: row.version,
  updatedAt: row.updated_at,
});

/** SQLITE_BUSY after the busy timeout: another process held the lock too long. */
function mapSqliteError(err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
    return unavailable('the document store is busy', 1);
  }
  return err;
}

const backoff = (attempt: number) => sleep(Math.random() * Math.min(2 ** attempt, 50));

/**
 * DocStore on one SQLite file in WAL mode, shared by every process of the
 * local mesh. Each write is a `BEGIN IMMEDIATE` transaction (SQLite's write
 * lock spans processes), so version checks and transaction commits are
 * atomic across processes, not just within one.
 */
export function openSqliteDocStore(options: SqliteDocStoreOptions): DocStore {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  db.pragma('journal_mode = WAL');
  // NORMAL is durable against process crashes in WAL mode; only power loss may drop the last commits.
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const maxAttempts = options.maxAttempts ?? 50;

  const selectRow = db.prepare<[string, string], Row>(
    'SELECT id, data, version, updated_at FROM docs WHERE collection = ? AND id = ?',
  );
  const upsertRow = db.prepare<[string, string, string, number, string]>(
    `INSERT INTO docs (collection, id, data, version, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (collection, id) DO UPDATE SET data = excluded.data, version = excluded.version, updated_at = excluded.updated_at`,
  );
  const deleteRow = db.prepare<[string, string]>('DELETE FROM docs WHERE collection = ? AND id = ?');

  const readState = (collection: string, id: string): DocState | null => {
    const row = selectRow.get(collection, id);
    return row ? { data: JSON.parse(row.data) as Record<string, unknown>, version: row.version } : null;
  };

  const store = (collection: string, id: string, state: DocState | null, now: string): StoredDoc<unknown> | null => {
    if (!state) {
      deleteRow.run(collection, id);
      return null;
    }
    upsertRow.run(collection, id, JSON.stringify(state.data), state.version, now);
    return { id, data: state.data, version: state.version, updatedAt: now };
  };

  /** One document's read-check-write under the cross-process write lock. */
  const writeOne = db.transaction(
    (
      collection: string,
      id: string,
      options: WriteOptions | undefined,
      next: (current: DocState | null) => DocState | null,
    ) => {
      const current = readState(collection, id);
      const expected = options?.expectedVersion;
      if (expected !== undefined && (current?.version ?? 0) !== expected) {
        throw conflict(`${collection}/${id} changed since it was read`, {
          expectedVersion: expected,
          version: current?.version ?? 0,
        });
      }
      return store(collection, id, next(current), new Date().toISOString());
    },
  );

  const mutate = async <T>(
    collection: string,
    id: string,
    options: WriteOptions | undefined,
    next: (current: DocState | null) => DocState | null,
  ): Promise<StoredDoc<T> | null> => {
    assertDocRef(collection, id);
    try {
      return writeOne.immediate(collection, id, options, next) as StoredDoc<T> | null;
    } catch (err) {
      throw mapSqliteError(err);
    }
  };

  /** Applies a transaction's buffer if every document it read still has the version it saw. */
  const commit = db.transaction((tx: BufferedTransaction): boolean => {
    const docs = tx.docs();
    const now = new Date().toISOString();
    const states = docs.map((doc) => readState(doc.collection, doc.id));
    if (docs.some((doc, i) => doc.readVersion !== undefined && doc.readVersion !== (states[i]?.version ?? 0))) {
      return false;
    }
    docs.forEach((doc, i) => {
      if (doc.writes.length > 0) {
        store(doc.collection, doc.id, applyWrites(states[i] ?? null, doc.writes, `${doc.collection}/${doc.id}`), now);
      }
    });
    return true;
  });

  return {
    async get<T>(collection: string, id: string) {
      assertDocRef(collection, id);
      const row = selectRow.get(collection, id);
      return row ? toDoc<T>(row) : null;
    },

    async set<T>(collection: string, id: string, data: T, options?: WriteOptions) {
      const json = toDocData(data);
      const doc = await mutate<T>(collection, id, options, (cur) =>
        applyWrites(cur, [{ kind: 'set', data: json }], `${collection}/${id}`),
      );
      return doc as StoredDoc<T>;
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
      const doc = await mutate<T>(collection, id, options, (cur) =>
        applyWrites(cur, [{ kind: 'update', patch: json }], what),
      );
      return doc as StoredDoc<T>;
    },

    async delete(collection: string, id: string, options?: WriteOptions) {
      await mutate(collection, id, options, () => null);
    },

    async query<T>(collection: string, query?: DocQuery) {
      assertCollection(collection);
      const { sql, params } = buildSqliteQuery(collection, query);
      return db
        .prepare<unknown[], Row>(sql)
        .all(...params)
        .map((row) => toDoc<T>(row));
    },

    async transaction<R>(fn: (tx: DocTransaction) => Promise<R>) {
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const tx = new BufferedTransaction(async (collection, id) => {
          const row = selectRow.get(collection, id);
          return row ? toDoc(row) : null;
        });
        const result = await fn(tx);
        let committed: boolean;
        try {
          // A read-only function needs no write lock: a plain read transaction still checks its reads together.
          committed = tx.docs().some((doc) => doc.writes.length > 0) ? commit.immediate(tx) : commit.deferred(tx);
        } catch (err) {
          throw mapSqliteError(err);
        }
        if (committed) return result;
        await backoff(attempt);
      }
      throw new AppError('conflict', `a transaction still conflicted after ${maxAttempts} attempts`);
    },

    async close() {
      db.close();
    },
  };
}

/**
 * DocStore: the only seam to the document database (Firestore in production,
 * SQLite in WAL mode locally). Every document carries a `version` that grows
 * by one on each write, for optimistic concurrency.
 */
export interface StoredDoc<T> {
  id: string;
  data: T;
  /** 1 after create, +1 on every write. */
  version: number;
  updatedAt: string;
}

export type WhereOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'array-contains';
export type WhereClause = readonly [field: string, op: WhereOp, value: unknown];

export interface DocQuery {
  where?: readonly WhereClause[];
  orderBy?: readonly { field: string; direction?: 'asc' | 'desc' }[];
  limit?: number;
}

export interface WriteOptions {
  /** Refuse the write with a `conflict` AppError unless the stored version equals this (0 = must not exist). */
  expectedVersion?: number;
}

/**
 * Reads first, then buffered writes, committed atomically; the store retries
 * the whole function when a document it read changed before the commit.
 */
export interface DocTransaction {
  get<T>(collection: string, id: string): Promise<StoredDoc<T> | null>;
  set<T>(collection: string, id: string, data: T): void;
  update<T>(collection: string, id: string, patch: Partial<T>): void;
  delete(collection: string, id: string): void;
}

export interface DocStore {
  get<T>(collection: string, id: string): Promise<StoredDoc<T> | null>;
  /** Creates or replaces the whole document. */
  set<T>(collection: string, id: string, data: T, options?: WriteOptions): Promise<StoredDoc<T>>;
  /** Creates; `conflict` if the id exists. */
  create<T>(collection: string, id: string, data: T): Promise<StoredDoc<T>>;
  /** Shallow-merges top-level fields; `not_found` if missing. */
  update<T>(collection: string, id: string, patch: Partial<T>, options?: WriteOptions): Promise<StoredDoc<T>>;
  delete(collection: string, id: string, options?: WriteOptions): Promise<void>;
  query<T>(collection: string, query?: DocQuery): Promise<StoredDoc<T>[]>;
  transaction<R>(fn: (tx: DocTransaction) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/** Collection names, the same in Firestore and the embedded store. */
export const COLLECTIONS = {
  users: 'users',
  projects: 'projects',
  jobs: 'jobs',
  renders: 'renders',
  /** Progress of one render or polish run, readable by any instance (the `renders` collection holds finished movies). */
  renderProgress: 'render_progress',
  publicMovies: 'public_movies',
  apiKeys: 'api_keys',
  quotas: 'quotas',
  sliRollups: 'sli_rollups',
  uploads: 'uploads',
  idempotency: 'idempotency',
  rateLimits: 'rate_limits',
} as const;

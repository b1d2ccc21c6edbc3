import { notFound } from '../errors.js';
import { assertDocRef, toDocData } from './docInput.js';
import type { DocTransaction, StoredDoc } from './port.js';

export type BufferedWrite =
  | { kind: 'set'; data: Record<string, unknown> }
  | { kind: 'update'; patch: Record<string, unknown> }
  | { kind: 'delete' };

export interface DocKey {
  collection: string;
  id: string;
}

export interface TouchedDoc extends DocKey {
  /** What the transaction read (null = absent), or undefined when it wrote without reading. */
  read: StoredDoc<unknown> | null | undefined;
  /** The version it read (0 = absent), or undefined when it wrote without reading. */
  readVersion: number | undefined;
  writes: BufferedWrite[];
}

const keyOf = (collection: string, id: string) => `${collection}\u0000${id}`;

/**
 * The transaction handed to callers by both stores: reads go to the store
 * and are remembered with their version, writes are only buffered. The store
 * then commits the buffer if no read version moved, or runs the function again.
 */
export class BufferedTransaction implements DocTransaction {
  private readonly touched = new Map<string, TouchedDoc>();
  private wrote = false;

  constructor(private readonly read: (collection: string, id: string) => Promise<StoredDoc<unknown> | null>) {}

  async get<T>(collection: string, id: string): Promise<StoredDoc<T> | null> {
    // Firestore refuses this too; allowing it locally would hide the bug until production.
    if (this.wrote) throw new Error('a transaction must do all its reads before its writes');
    assertDocRef(collection, id);
    const entry = this.entry(collection, id);
    if (entry.readVersion === undefined) {
      entry.read = await this.read(collection, id);
      entry.readVersion = entry.read?.version ?? 0;
    }
    // A copy, so a caller mutating what it read cannot change what the commit builds on.
    return structuredClone(entry.read) as StoredDoc<T> | null;
  }

  set<T>(collection: string, id: string, data: T): void {
    this.write(collection, id, { kind: 'set', data: toDocData(data) });
  }

  update<T>(collection: string, id: string, patch: Partial<T>): void {
    this.write(collection, id, { kind: 'update', patch: toDocData(patch) });
  }

  delete(collection: string, id: string): void {
    this.write(collection, id, { kind: 'delete' });
  }

  /** Every document the function read or wrote, in first-touch order. */
  docs(): TouchedDoc[] {
    return [...this.touched.values()];
  }

  private write(collection: string, id: string, write: BufferedWrite): void {
    assertDocRef(collection, id);
    this.wrote = true;
    this.entry(collection, id).writes.push(write);
  }

  private entry(collection: string, id: string): TouchedDoc {
    const key = keyOf(collection, id);
    let doc = this.touched.get(key);
    if (!doc) {
      doc = { collection, id, read: undefined, readVersion: undefined, writes: [] };
      this.touched.set(key, doc);
    }
    return doc;
  }
}

export interface DocState {
  data: Record<string, unknown>;
  version: number;
}

/**
 * Applies one document's buffered writes to its committed state; each write
 * bumps the version, as it would one by one outside a transaction. `null` in
 * and out means absent.
 */
export function applyWrites(current: DocState | null, writes: readonly BufferedWrite[], what: string): DocState | null {
  let state = current;
  for (const write of writes) {
    if (write.kind === 'delete') {
      state = null;
    } else if (write.kind === 'set') {
      state = { data: write.data, version: (state?.version ?? 0) + 1 };
    } else {
      if (!state) throw notFound(what);
      state = { data: { ...state.data, ...write.patch }, version: state.version + 1 };
    }
  }
  return state;
}

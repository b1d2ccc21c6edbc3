import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocStore, DocTransaction } from '../../src/docs/port.js';
import { AppError } from '../../src/errors.js';

export interface DocStoreContractOptions {
  /** Opens a store on the same database each call (two calls = two clients). */
  open: () => Promise<DocStore>;
  /** The contention test's timeout; Firestore's emulator needs ≥30 s. */
  contentionTimeoutMs?: number;
}

interface Counter {
  count: number;
}

/** Rejects with an AppError of this code and status. */
async function expectAppError(promise: Promise<unknown>, code: string, status: number): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  expect((err as AppError).status).toBe(status);
}

async function increment(tx: DocTransaction, collection: string, id: string): Promise<void> {
  const doc = await tx.get<Counter>(collection, id);
  tx.set<Counter>(collection, id, { count: (doc?.data.count ?? 0) + 1 });
}

/** The behaviour every DocStore adapter must share; each adapter's test file runs it. */
export function docStoreContract(name: string, options: DocStoreContractOptions): void {
  describe(`DocStore contract: ${name}`, () => {
    const opened: DocStore[] = [];
    let store: DocStore;
    // A fresh collection per test keeps tests independent on a shared database.
    const collection = () => `c_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

    beforeAll(async () => {
      store = await options.open();
      opened.push(store);
    });
    afterAll(async () => {
      await Promise.all(opened.map((s) => s.close()));
    });

    it('creates, reads, replaces, merges and deletes, bumping the version on each write', async () => {
      const c = collection();
      expect(await store.get(c, 'p1')).toBeNull();

      const created = await store.create(c, 'p1', { title: 'First', meta: { a: 1, b: 2 }, tags: ['x'] });
      expect(created).toMatchObject({
        id: 'p1',
        version: 1,
        data: { title: 'First', meta: { a: 1, b: 2 }, tags: ['x'] },
      });
      expect(Date.parse(created.updatedAt)).not.toBeNaN();
      expect(await store.get(c, 'p1')).toEqual(created);

      const replaced = await store.set(c, 'p1', { title: 'Second', meta: { a: 9 } });
      expect(replaced.version).toBe(2);
      expect((await store.get(c, 'p1'))?.data).toEqual({ title: 'Second', meta: { a: 9 } });

      // update merges top-level fields only: a nested object is replaced whole.
      const updated = await store.update(c, 'p1', { meta: { c: 3 }, scenes: 4 });
      expect(updated.version).toBe(3);
      expect(updated.data).toEqual({ title: 'Second', meta: { c: 3 }, scenes: 4 });
      expect(await store.get(c, 'p1')).toEqual(updated);

      await store.delete(c, 'p1');
      expect(await store.get(c, 'p1')).toBeNull();
      // Deleting what is gone is not an error; recreating starts the version again.
      await store.delete(c, 'p1');
      expect((await store.set(c, 'p1', { title: 'Again' })).version).toBe(1);
    });

    it('stores JSON: dates become ISO strings, undefined fields vanish, reserved and odd shapes are refused', async () => {
      const c = collection();
      const when = new Date('2026-01-02T03:04:05.000Z');
      const doc = await store.set(c, 'd1', { when, gone: undefined, list: [1, 'two', null, { three: true }] });
      expect(doc.data).toEqual({ when: '2026-01-02T03:04:05.000Z', list: [1, 'two', null, { three: true }] });
      expect((await store.get(c, 'd1'))?.data).toEqual(doc.data);
      await expect(store.set(c, 'd2', { _version: 3 })).rejects.toThrow(/reserved/);
      await expect(store.set(c, 'd3', { grid: [[1, 2]] })).rejects.toThrow(/array/);
      await expect(store.set(c, 'd4', ['not', 'an', 'object'])).rejects.toThrow(/object/);
    });

    it('refuses ids that are not single path segments', async () => {
      const c = collection();
      for (const id of ['a/b', '', '..', '__x__']) {
        await expectAppError(store.set(c, id, { a: 1 }), 'invalid_argument', 400);
        await expectAppError(store.get(c, id), 'invalid_argument', 400);
      }
      await expectAppError(store.get('a/b', 'x'), 'invalid_argument', 400);
    });

    it('answers 409 conflict to create of an existing id and 404 not_found to update of a missing one', async () => {
      const c = collection();
      await store.create(c, 'x', { n: 1 });
      await expectAppError(store.create(c, 'x', { n: 2 }), 'conflict', 409);
      await expectAppError(store.update(c, 'missing', { n: 1 }), 'not_found', 404);
      expect(await store.get(c, 'missing')).toBeNull();
      expect((await store.get(c, 'x'))?.data).toEqual({ n: 1 });
    });

    it('refuses a write with a stale expectedVersion (409) and leaves the document as it was', async () => {
      const c = collection();
      const v1 = await store.set(c, 'doc', { step: 'one' }, { expectedVersion: 0 });
      expect(v1.version).toBe(1);
      await expectAppError(store.set(c, 'doc', { step: 'again' }, { expectedVersion: 0 }), 'conflict', 409);

      const v2 = await store.update(c, 'doc', { step: 'two' }, { expectedVersion: 1 });
      expect(v2.version).toBe(2);
      // A second writer that also read version 1 loses instead of overwriting.
      await expectAppError(store.update(c, 'doc', { step: 'lost' }, { expectedVersion: 1 }), 'conflict', 409);
      await expectAppError(store.set(c, 'doc', { step: 'lost' }, { expectedVersion: 1 }), 'conflict', 409);
      await expectAppError(store.delete(c, 'doc', { expectedVersion: 1 }), 'conflict', 409);
      expect(await store.get(c, 'doc')).toMatchObject({ version: 2, data: { step: 'two' } });

      await store.delete(c, 'doc', { expectedVersion: 2 });
      expect(await store.get(c, 'doc')).toBeNull();
      await expectAppError(store.update(c, 'doc', { step: 'x' }, { expectedVersion: 2 }), 'conflict', 409);
    });

    describe('query', () => {
      const c = collection();
      beforeAll(async () => {
        const seed: Record<string, Record<string, unknown>> = {
          a: { status: 'draft', n: 3, tags: ['x', 'y'], meta: { owner: 'alice', rank: 2 }, flag: true },
          b: { status: 'done', n: 1, tags: ['y'], meta: { owner: 'bob', rank: 1 }, flag: 1 },
          c: { status: 'done', n: 2, tags: [], meta: { owner: 'alice', rank: 3 } },
          d: { status: null, n: '5', meta: { owner: 'carol' } },
          e: { n: 10, tags: ['x'] },
          f: { status: 'draft', n: 2.5, tags: ['x', 1], meta: { owner: 'alice', rank: 1 } },
          g: { status: 'done', n: 2 },
        };
        for (const [id, data] of Object.entries(seed)) await store.set(c, id, data);
        await store.set(collection(), 'a', { status: 'done' });
      });
      const ids = async (query: Parameters<DocStore['query']>[1]) => (await store.query(c, query)).map((d) => d.id);

      it('returns every document of the collection by id, with data and version', async () => {
        const all = await store.query<{ status?: string }>(c);
        expect(all.map((d) => d.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
        expect(all[0]).toMatchObject({ id: 'a', version: 1, data: { status: 'draft', n: 3 } });
        expect(Object.keys(all[0]?.data ?? {}).sort()).toEqual(['flag', 'meta', 'n', 'status', 'tags']);
      });

      it('filters by equality, also on nested fields, and keeps types apart', async () => {
        expect(await ids({ where: [['status', '==', 'done']] })).toEqual(['b', 'c', 'g']);
        expect(await ids({ where: [['meta.owner', '==', 'alice']] })).toEqual(['a', 'c', 'f']);
        expect(
          await ids({
            where: [
              ['meta.owner', '==', 'alice'],
              ['status', '==', 'draft'],
            ],
          }),
        ).toEqual(['a', 'f']);
        expect(await ids({ where: [['flag', '==', true]] })).toEqual(['a']);
        expect(await ids({ where: [['n', '==', 2]] })).toEqual(['c', 'g']);
        expect(await ids({ where: [['n', '==', '5']] })).toEqual(['d']);
        expect(await ids({ where: [['status', '==', null]] })).toEqual(['d']);
        expect(await ids({ where: [['tags', '==', ['x', 'y']]] })).toEqual(['a']);
      });

      it('filters by ranges within one type, ordered by the filtered field', async () => {
        expect(await ids({ where: [['n', '>=', 2]] })).toEqual(['c', 'g', 'f', 'a', 'e']);
        expect(await ids({ where: [['n', '<', 2]] })).toEqual(['b']);
        expect(
          await ids({
            where: [
              ['n', '>', 2],
              ['n', '<=', 3],
            ],
          }),
        ).toEqual(['f', 'a']);
        expect(await ids({ where: [['n', '>=', '0']] })).toEqual(['d']);
        expect(await ids({ where: [['meta.rank', '>', 1]] })).toEqual(['a', 'c']);
      });

      it('filters by !=, leaving out documents where the field is missing or null', async () => {
        expect(await ids({ where: [['status', '!=', 'draft']] })).toEqual(['b', 'c', 'g']);
      });

      it('filters by in and array-contains', async () => {
        expect(await ids({ where: [['status', 'in', ['draft', 'done']]] })).toEqual(['a', 'b', 'c', 'f', 'g']);
        expect(await ids({ where: [['n', 'in', [2, '5']]] })).toEqual(['c', 'd', 'g']);
        expect(await ids({ where: [['n', 'in', []]] })).toEqual([]);
        expect(await ids({ where: [['tags', 'array-contains', 'x']] })).toEqual(['a', 'e', 'f']);
        expect(await ids({ where: [['tags', 'array-contains', 1]] })).toEqual(['f']);
        expect(await ids({ where: [['tags', 'array-contains', 'zzz']] })).toEqual([]);
      });

      it('orders (leaving out documents without the field), breaks ties by id and limits', async () => {
        expect(await ids({ orderBy: [{ field: 'meta.rank' }] })).toEqual(['b', 'f', 'a', 'c']);
        expect(await ids({ orderBy: [{ field: 'meta.rank', direction: 'desc' }] })).toEqual(['c', 'a', 'f', 'b']);
        // Numbers sort before strings, as in Firestore.
        expect(await ids({ orderBy: [{ field: 'n', direction: 'desc' }], limit: 3 })).toEqual(['d', 'e', 'a']);
        expect(await ids({ orderBy: [{ field: 'n' }], limit: 2 })).toEqual(['b', 'c']);
        expect(await ids({ where: [['status', '==', 'done']], orderBy: [{ field: 'n', direction: 'desc' }] })).toEqual([
          'g',
          'c',
          'b',
        ]);
        expect(
          await ids({ where: [['meta.owner', '==', 'alice']], orderBy: [{ field: 'n', direction: 'desc' }], limit: 2 }),
        ).toEqual(['a', 'f']);
        expect(await ids({ limit: 0 })).toEqual([]);
        expect(await ids({ limit: 2 })).toEqual(['a', 'b']);
      });

      it('refuses field paths that are not dotted identifiers', async () => {
        await expectAppError(store.query(c, { where: [["n') OR 1=1 --", '==', 1]] }), 'invalid_argument', 400);
        await expectAppError(store.query(c, { orderBy: [{ field: 'a..b' }] }), 'invalid_argument', 400);
      });
    });

    describe('transaction', () => {
      it('reads, then commits its buffered writes atomically and returns the function result', async () => {
        const c = collection();
        await store.set(c, 'from', { balance: 10 });
        await store.set(c, 'to', { balance: 0 });
        const result = await store.transaction(async (tx) => {
          const from = await tx.get<{ balance: number }>(c, 'from');
          const to = await tx.get<{ balance: number }>(c, 'to');
          const missing = await tx.get(c, 'log');
          expect(missing).toBeNull();
          tx.update(c, 'from', { balance: (from?.data.balance ?? 0) - 4 });
          tx.update(c, 'to', { balance: (to?.data.balance ?? 0) + 4 });
          tx.set(c, 'log', { moved: 4 });
          tx.delete(c, 'gone');
          return 'moved';
        });
        expect(result).toBe('moved');
        expect(await store.get(c, 'from')).toMatchObject({ version: 2, data: { balance: 6 } });
        expect(await store.get(c, 'to')).toMatchObject({ version: 2, data: { balance: 4 } });
        expect(await store.get(c, 'log')).toMatchObject({ version: 1, data: { moved: 4 } });
      });

      it('writes nothing when the function throws, and passes the error on', async () => {
        const c = collection();
        await store.set(c, 'doc', { n: 1 });
        await expect(
          store.transaction(async (tx) => {
            await tx.get(c, 'doc');
            tx.set(c, 'doc', { n: 2 });
            tx.set(c, 'other', { n: 2 });
            throw new Error('changed my mind');
          }),
        ).rejects.toThrow('changed my mind');
        expect(await store.get(c, 'doc')).toMatchObject({ version: 1, data: { n: 1 } });
        expect(await store.get(c, 'other')).toBeNull();
      });

      it('refuses a read after a write, and an update of a missing document (404)', async () => {
        const c = collection();
        await expect(
          store.transaction(async (tx) => {
            tx.set(c, 'a', { n: 1 });
            await tx.get(c, 'a');
          }),
        ).rejects.toThrow(/reads before/);
        expect(await store.get(c, 'a')).toBeNull();
        await expectAppError(
          store.transaction(async (tx) => {
            tx.update(c, 'nope', { n: 1 });
          }),
          'not_found',
          404,
        );
        expect(await store.get(c, 'nope')).toBeNull();
      });

      it('bumps the version once per write, and a read copy cannot change what is committed', async () => {
        const c = collection();
        await store.set(c, 'doc', { n: 1, list: [1] });
        await store.transaction(async (tx) => {
          const doc = await tx.get<{ n: number; list: number[] }>(c, 'doc');
          doc?.data.list.push(99);
          tx.update(c, 'doc', { n: 2 });
          tx.update(c, 'doc', { n: 3 });
        });
        expect(await store.get(c, 'doc')).toMatchObject({ version: 3, data: { n: 3, list: [1] } });
      });

      it(
        'under contention never loses an update: two writers, 100 increments each, final count 200',
        async () => {
          const c = collection();
          const second = await options.open();
          opened.push(second);
          const writer = async (s: DocStore) => {
            for (let i = 0; i < 100; i++) await s.transaction((tx) => increment(tx, c, 'counter'));
          };
          await Promise.all([writer(store), writer(second)]);
          expect(await store.get(c, 'counter')).toMatchObject({ version: 200, data: { count: 200 } });
        },
        options.contentionTimeoutMs ?? 30_000,
      );
    });
  });
}

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDocStore } from '../../src/docs/sqliteDocStore.js';
import { docStoreContract } from './docStoreContract.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlite-docstore-'));
const path = join(dir, 'docs.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

docStoreContract('sqlite', { open: async () => openSqliteDocStore({ path }) });

describe('sqlite DocStore', () => {
  it('keeps its file in WAL mode with a busy timeout, in the docs table', async () => {
    const store = openSqliteDocStore({ path: join(dir, 'nested', 'wal.db') });
    await store.set('projects', 'p1', { title: 'x' });
    await store.close();
    const db = new Database(join(dir, 'nested', 'wal.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT collection, id, data, version FROM docs').all()).toEqual([
      { collection: 'projects', id: 'p1', data: '{"title":"x"}', version: 1 },
    ]);
    db.close();
  });

  it('re-runs a transaction whose read changed before its commit', async () => {
    const store = openSqliteDocStore({ path });
    const other = openSqliteDocStore({ path });
    await store.set('tx', 'doc', { n: 1 });
    let runs = 0;
    await store.transaction(async (tx) => {
      runs++;
      const doc = await tx.get<{ n: number }>('tx', 'doc');
      if (runs === 1) await other.set('tx', 'doc', { n: 100 });
      tx.set('tx', 'doc', { n: (doc?.data.n ?? 0) + 1 });
    });
    expect(runs).toBe(2);
    expect(await store.get('tx', 'doc')).toMatchObject({ version: 3, data: { n: 101 } });
    await Promise.all([store.close(), other.close()]);
  });

  it('gives up with 409 conflict when a read keeps changing', async () => {
    const store = openSqliteDocStore({ path, maxAttempts: 3 });
    await store.set('tx', 'hot', { n: 0 });
    let runs = 0;
    const err = await store
      .transaction(async (tx) => {
        runs++;
        await tx.get('tx', 'hot');
        await store.update('tx', 'hot', { n: runs });
        tx.set('tx', 'hot', { n: -1 });
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'conflict', status: 409 });
    expect(runs).toBe(3);
    expect((await store.get('tx', 'hot'))?.data).toEqual({ n: 3 });
    await store.close();
  });

  it('never loses an update across processes: two child processes, 100 increments each, final count 200', async () => {
    const shared = join(dir, 'cross-process.db');
    const worker = fileURLToPath(new URL('./fixtures/incrementWorker.ts', import.meta.url));
    const register = fileURLToPath(new URL('./fixtures/registerTs.mjs', import.meta.url));
    const children = [0, 1].map(() =>
      fork(worker, [shared, '100'], {
        execArgv: ['--import', register],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const next = (child: (typeof children)[number], key: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        child.on('message', (m: Record<string, unknown>) => {
          if (m[key]) resolve(m);
        });
        child.once('exit', (code) => reject(new Error(`worker exited with ${code} before ${key}`)));
      });
    await Promise.all(children.map((c) => next(c, 'ready')));
    const done = children.map((c) => next(c, 'done'));
    for (const child of children) child.send('go');
    const results = await Promise.all(done);

    const store = openSqliteDocStore({ path: shared });
    expect(await store.get('counters', 'shared')).toMatchObject({ version: 200, data: { count: 200 } });
    await store.close();
    // More runs than commits shows the two processes did collide and were retried.
    const runs = results.reduce((sum, r) => sum + Number(r.runs), 0);
    expect(runs).toBeGreaterThan(200);
  }, 60_000);
});

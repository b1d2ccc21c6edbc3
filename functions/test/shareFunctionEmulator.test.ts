import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { openFirestoreDocStore } from '@storyreel/shared';
import { type FirestoreEmulator, freePort, startFirestoreEmulator } from '@storyreel/shared/testing';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunctions } from '../scripts/bundleFunctions.mjs';
import { PUBLIC_MOVIES, type PublishedMovie } from '../src/publicMovie.js';
import { parsePage } from './htmlTree.js';

/**
 * The deployable bundle (scripts/bundleFunctions.mjs) run by firebase-tools'
 * Functions emulator, offline, in a `demo-` project, reading Firestore from
 * the emulator jar. The slowest file of the suite: the emulator needs about
 * 10 s of CPU to start.
 */

const functionsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(functionsDir, '..');
const PROJECT = 'demo-storyreel-share';
const APP = 'https://share.storyreel.test';
const LIVE = 'EmulatedEmulatedMovie1';
const GONE = 'EmulatedEmulatedGone01';
const GCS = `https://storage.googleapis.com/storyreel-public/movies/${LIVE}/r1`;

/** The bundle's dependencies, linked as npm would have installed them (express 5 lives under functions/). */
async function linkDependencies(dir: string, names: string[]): Promise<void> {
  for (const name of names) {
    const installed = [join(functionsDir, 'node_modules', name), join(repoDir, 'node_modules', name)].find((d) =>
      existsSync(join(d, 'package.json')),
    );
    if (!installed) throw new Error(`${name} is not installed`);
    await mkdir(dirname(join(dir, 'node_modules', name)), { recursive: true });
    await symlink(installed, join(dir, 'node_modules', name), 'dir');
  }
}

let work: string;
let firestore: FirestoreEmulator;
let emulator: ChildProcess | undefined;
let output = '';
let functionUrl: string;
const firebaseApp = initializeApp({ projectId: PROJECT }, 'share-emulator-test');

async function stopEmulator(): Promise<void> {
  const child = emulator;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  // firebase-tools stops its function workers on SIGINT (a second one if the first is not enough).
  child.kill('SIGINT');
  const first = await Promise.race([exited.then(() => true), sleep(8000).then(() => false)]);
  if (!first) {
    child.kill('SIGINT');
    const second = await Promise.race([exited.then(() => true), sleep(4000).then(() => false)]);
    // Its own process group only (spawned detached): the CLI and the function workers it started.
    if (!second) process.kill(-child.pid, 'SIGKILL');
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'share-function-'));
  const [started, bundle] = await Promise.all([startFirestoreEmulator(), bundleFunctions(join(work, 'fn'))]);
  firestore = started;
  await linkDependencies(bundle.dir, Object.keys(bundle.dependencies));
  await writeFile(join(bundle.dir, '.env'), `PUBLIC_BASE_URL=${APP}\nTRUSTED_PROXY_HOPS=1\nLOG_LEVEL=warn\n`);

  // firebase-admin reads the emulator's address when it builds its Firestore client; no GCE metadata probe offline.
  process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
  process.env.METADATA_SERVER_DETECTION = 'none';
  const docs = openFirestoreDocStore({ app: firebaseApp });
  const movie: PublishedMovie = {
    status: 'published',
    title: 'Emulated <Harbour> & "Lights"',
    description: 'Seen through the Functions emulator.',
    language: 'en',
    videoUrl: `${GCS}/movie.mp4`,
    posterUrl: `${GCS}/poster.jpg`,
    image: { url: `${GCS}/og.jpg`, width: 1200, height: 630 },
    gifUrl: null,
    vttUrl: `${GCS}/captions.vtt`,
    width: 720,
    height: 1280,
    durationSeconds: 20,
    publishedAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
  };
  await docs.set(PUBLIC_MOVIES, LIVE, movie);
  await docs.set(PUBLIC_MOVIES, GONE, { status: 'removed', removedAt: '2026-11-25T11:00:00.000Z' });

  const [functionsPort, hubPort, loggingPort] = [await freePort(), await freePort(), await freePort()];
  await writeFile(
    join(work, 'firebase.json'),
    JSON.stringify({
      functions: { source: 'fn', runtime: 'nodejs20' },
      emulators: {
        functions: { host: '127.0.0.1', port: functionsPort },
        hub: { host: '127.0.0.1', port: hubPort },
        logging: { host: '127.0.0.1', port: loggingPort },
        ui: { enabled: false },
        singleProjectMode: true,
      },
    }),
  );
  functionUrl = `http://127.0.0.1:${functionsPort}/${PROJECT}/us-central1/share`;

  const cli = join(repoDir, 'node_modules', 'firebase-tools', 'lib', 'bin', 'firebase.js');
  emulator = spawn(process.execPath, [cli, 'emulators:start', '--only', 'functions', '--project', PROJECT], {
    cwd: work,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FIRESTORE_EMULATOR_HOST: firestore.host, METADATA_SERVER_DETECTION: 'none' },
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  emulator.stdout?.on('data', keep);
  emulator.stderr?.on('data', keep);

  const deadline = Date.now() + 90_000;
  while (!output.includes('All emulators ready')) {
    if (emulator.exitCode !== null) throw new Error(`the Functions emulator exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the Functions emulator did not start:\n${output}`);
    await sleep(250);
  }
}, 120_000);

afterAll(async () => {
  await stopEmulator();
  await firestore?.stop();
  await deleteApp(firebaseApp);
  delete process.env.FIRESTORE_EMULATOR_HOST;
  delete process.env.METADATA_SERVER_DETECTION;
  if (work) await rm(work, { recursive: true, force: true });
}, 30_000);

describe('the share function in the Firebase Functions emulator', () => {
  it("serves a published movie's page from Firestore", async () => {
    const res = await fetch(`${functionUrl}/${LIVE}`, { signal: AbortSignal.timeout(30_000) });
    const html = await res.text();
    expect(res.status, output).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60, s-maxage=300');
    const page = parsePage(html);
    const metas = page.metas();
    expect(metas.get('og:title')).toBe('Emulated <Harbour> & "Lights"');
    expect(metas.get('og:url')).toBe(`${APP}/share/${LIVE}`);
    expect(metas.get('og:video:secure_url')).toBe(`${GCS}/movie.mp4`);
    expect(metas.get('og:video:width')).toBe('720');
    expect(metas.get('twitter:player')).toBe(`${APP}/share/${LIVE}?embed=1`);
    expect(page.attr(page.one('track'), 'src')).toBe(`${GCS}/captions.vtt`);
  });

  it('answers an unknown id with 404 and an unpublished one with 410', async () => {
    const unknown = await fetch(`${functionUrl}/NotThereNotThereNotThe`, { signal: AbortSignal.timeout(30_000) });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Movie not found');
    const gone = await fetch(`${functionUrl}/${GONE}`, { signal: AbortSignal.timeout(30_000) });
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('This movie was taken down');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, type DocStore, openSqliteDocStore, sliSummary } from '@storyreel/shared';
import express from 'express';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_MOVIES, type PublishedMovie, SHARE_VIEWS } from '../src/publicMovie.js';
import { createShareHandler } from '../src/shareHandler.js';
import { VIEW_WINDOW_MS } from '../src/viewCounter.js';
import { parsePage } from './htmlTree.js';

const APP = 'http://127.0.0.1:8080';
const LIVE = 'LiveLiveLiveLiveLive01';
const GONE = 'GoneGoneGoneGoneGone01';
const BROKEN = 'BrokenBrokenBroken0001';
const UNKNOWN = 'NobodyNobodyNobody0001';
const pub = `${APP}/public/storyreel-public/movies/${LIVE}/r1`;

const published: PublishedMovie = {
  status: 'published',
  title: 'Night Ferry',
  description: 'Crossing the bay.',
  language: 'en',
  videoUrl: `${pub}/movie.mp4`,
  posterUrl: `${pub}/poster.jpg`,
  image: { url: `${pub}/og.jpg`, width: 1200, height: 630 },
  gifUrl: null,
  vttUrl: `${pub}/captions.vtt`,
  width: 1280,
  height: 720,
  durationSeconds: 12,
  publishedAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
};

let dir: string;
let docs: DocStore;
let clock = new Date('2026-11-25T12:00:00.000Z');
let app: express.Express;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'share-handler-'));
  docs = openSqliteDocStore({ path: join(dir, 'docs.db') });
  await docs.set(PUBLIC_MOVIES, LIVE, published);
  await docs.set(PUBLIC_MOVIES, GONE, { status: 'removed', removedAt: '2026-11-25T11:00:00.000Z' });
  await docs.set(PUBLIC_MOVIES, BROKEN, { status: 'published', title: 'half a document' });
  // Mounted the way the local gateway mounts it: at the root, in front of the app's other routes.
  app = express();
  app.use(
    createShareHandler({ PUBLIC_BASE_URL: APP, TRUSTED_PROXY_HOPS: 1 }, docs, {
      logger: createLogger('share', 'silent'),
      now: () => clock,
    }),
  );
  app.use((_req, res) => {
    res.type('text/plain').send('the wizard');
  });
});

afterAll(async () => {
  await docs.close();
  rmSync(dir, { recursive: true, force: true });
});

const looksLikeAStack = /\n\s+at |Error:|sqlite|public_movies/;

describe('GET /share/:id', () => {
  it('serves the page, cacheable by the CDN, with its policy as a header', async () => {
    const res = await supertest(app).get(`/share/${LIVE}`).expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=60, s-maxage=300');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const page = parsePage(res.text);
    expect(page.metas().get('og:title')).toBe('Night Ferry');
    expect(page.metas().get('og:video')).toBe(`${pub}/movie.mp4`);
    expect(page.attr(page.one('source'), 'src')).toBe(`${pub}/movie.mp4`);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await supertest(app).head(`/share/${LIVE}`).expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60, s-maxage=300');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text ?? '').toBe('');
  });

  it('serves the bare player for ?embed=1, framable by other sites', async () => {
    const res = await supertest(app).get(`/share/${LIVE}?embed=1`).expect(200);
    expect(res.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(parsePage(res.text).all('h1')).toEqual([]);
  });

  it.each([
    ['an unknown id', `/share/${UNKNOWN}`],
    ['an id that cannot be ours', '/share/x'],
    ['a path under a movie', `/share/${LIVE}/poster.jpg`],
    ['the bare prefix', '/share'],
  ])('answers %s with the 404 page', async (_what, path) => {
    const res = await supertest(app).get(path).expect(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(parsePage(res.text).text(parsePage(res.text).one('h1'))).toBe('Movie not found');
    expect(res.text).not.toMatch(looksLikeAStack);
  });

  it('answers an unpublished movie with 410 Gone', async () => {
    const res = await supertest(app).get(`/share/${GONE}`).expect(410);
    expect(parsePage(res.text).text(parsePage(res.text).one('h1'))).toBe('This movie was taken down');
    expect(res.headers['cache-control']).toBe('public, max-age=300, s-maxage=300');
  });

  it('answers a damaged document with a plain 500 page that caches nowhere and leaks nothing', async () => {
    const res = await supertest(app).get(`/share/${BROKEN}`).expect(500);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(parsePage(res.text).text(parsePage(res.text).one('h1'))).toBe('Something went wrong');
    expect(res.text).not.toMatch(looksLikeAStack);
  });

  it('refuses other methods and leaves other paths to the app behind it', async () => {
    const post = await supertest(app).post(`/share/${LIVE}`).expect(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const other = await supertest(app).get('/projects/abc').expect(200);
    expect(other.text).toBe('the wizard');
  });

  it('records share-page outcomes for the SLI once the answer is out', async () => {
    const before = (await sliSummary(docs, 1)).sharePage;
    await supertest(app).get(`/share/${LIVE}`).expect(200);
    await supertest(app).get(`/share/${UNKNOWN}`).expect(404);
    await supertest(app).get(`/share/${BROKEN}`).expect(500);
    const deadline = Date.now() + 5000;
    let after = before;
    while (after.total < before.total + 3 && Date.now() < deadline) {
      await sleep(20);
      after = (await sliSummary(docs, 1)).sharePage;
    }
    expect(after.total - before.total).toBe(3);
    expect(after.ok - before.ok).toBe(2);
  });
});

describe('the view beacon', () => {
  const views = async (id: string) => (await docs.get<{ views: number }>(SHARE_VIEWS, id))?.data.views ?? 0;
  // supertest connects from 127.0.0.1, the one trusted proxy; the entry it appended is the client.
  const view = (ip: string, id = LIVE, extra = '') =>
    supertest(app)
      .get(`/share/${id}/view`)
      .set('x-forwarded-for', `${extra}${ip}`)
      .expect(200)
      .expect('content-type', 'image/gif')
      .expect('cache-control', 'no-store');

  it('counts one client once per window, however often it calls', async () => {
    const start = await views(LIVE);
    for (let i = 0; i < 5; i++) await view('198.51.100.7');
    expect(await views(LIVE)).toBe(start + 1);
    // Entries a client writes itself, left of the proxy's, change nothing.
    for (let i = 0; i < 3; i++) await view('198.51.100.7', LIVE, `10.9.9.${i}, `);
    expect(await views(LIVE)).toBe(start + 1);
  });

  it('counts two clients twice', async () => {
    const start = await views(LIVE);
    await view('203.0.113.1');
    await view('203.0.113.2');
    await view('203.0.113.1');
    expect(await views(LIVE)).toBe(start + 2);
  });

  it('counts the same client again in the next window', async () => {
    const start = await views(LIVE);
    await view('203.0.113.50');
    await view('203.0.113.50');
    clock = new Date(clock.getTime() + VIEW_WINDOW_MS);
    await view('203.0.113.50');
    expect(await views(LIVE)).toBe(start + 2);
  });

  it('counts nothing for HEAD, or for movies that are gone or never were', async () => {
    const start = await views(LIVE);
    await supertest(app).head(`/share/${LIVE}/view`).set('x-forwarded-for', '192.0.2.99').expect(200);
    expect(await views(LIVE)).toBe(start);
    await view('192.0.2.98', GONE);
    await view('192.0.2.98', UNKNOWN);
    expect(await docs.get(SHARE_VIEWS, GONE)).toBeNull();
    expect(await docs.get(SHARE_VIEWS, UNKNOWN)).toBeNull();
  });

  it('is what the page loads', async () => {
    const res = await supertest(app).get(`/share/${LIVE}`).expect(200);
    const page = parsePage(res.text);
    expect(page.all('img').map((i) => page.attr(i, 'src'))).toEqual([`${APP}/share/${LIVE}/view`]);
  });
});

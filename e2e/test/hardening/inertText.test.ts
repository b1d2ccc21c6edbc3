import { COLLECTIONS } from '@storyreel/shared';
import { userHeaders } from '@storyreel/shared/testing';
import sharp from 'sharp';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePage } from '../../../functions/test/htmlTree.js';
import type { RenderRecord } from '../../../services/compose/src/jobs/movieOutcomes.js';
import { type HardeningWorld, startHardeningWorld } from './hardeningWorld.js';

/**
 * Text users type comes back exactly as typed, and inert wherever it is
 * shown: JSON answers keep it verbatim, the share page escapes it (no
 * script, no handler, no markup of the user's), captions escape it for
 * WebVTT and ASS.
 */

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "'><svg/onload=alert(3)>",
  '</title><script>alert(4)</script>',
  '<a href="javascript:alert(5)">x</a>',
  '{{constructor.constructor("alert(6)")()}}',
];
/** Edge cases that are valid text: an RTL override, joiners inside words, astral emoji, combining marks. */
const UNUSUAL = 'Fox \u202eevil\u202c 🦊👩‍👩‍👧 zero\u200bwidth Ame\u0301lie';

const alice = userHeaders('alice');
let world: HardeningWorld;
const compose = () => supertest(world.app('compose'));

beforeAll(async () => {
  world = await startHardeningWorld();
});
afterAll(() => world?.close());

async function project(title: string, story: string) {
  const res = await compose().post('/v1/projects').set(alice).send({ title, story });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number; title: string; story: string };
}

describe('text comes back as typed', () => {
  it.each(HOSTILE.map((h) => [h]))('title and story %s round-trip as JSON, byte for byte', async (hostile) => {
    const made = await project(`${hostile} ${UNUSUAL}`, `${hostile} The fox ran home.`);
    const res = await compose().get(`/v1/projects/${made.id}`).set(alice).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.title).toBe(`${hostile} ${UNUSUAL}`);
    expect(res.body.story).toBe(`${hostile} The fox ran home.`);
  });

  it('keeps scene text with markup exactly', async () => {
    const made = await project('Scenes', 'The fox ran home.');
    const text = `${HOSTILE[0]} ${UNUSUAL}`;
    const res = await compose()
      .patch(`/v1/projects/${made.id}/scenes`)
      .set(alice)
      .send({ version: made.version, scenes: [{ text }] })
      .expect(200);
    expect(res.body.scenes.map((s: { text: string }) => s.text)).toEqual([text]);
  });
});

describe('the share page shows hostile titles and descriptions as text', () => {
  /** Publishes a seeded movie of a new project; without a title the page shows the project's. */
  async function publishWith(
    body: { title?: string; description: string },
    projectTitle = 'Plain title',
  ): Promise<string> {
    const made = await project(projectTitle, 'The fox ran home.');
    const jobId = `job-${made.id}`;
    const prefix = `gs://${world.env.MEDIA_BUCKET}/users/alice/projects/${made.id}/renders/${jobId}`;
    const poster = await sharp({ create: { width: 320, height: 180, channels: 3, background: '#246' } })
      .jpeg()
      .toBuffer();
    await world.blobs.put(`${prefix}/movie.mp4`, Buffer.alloc(2048, 1), { contentType: 'video/mp4' });
    await world.blobs.put(`${prefix}/poster.jpg`, poster, { contentType: 'image/jpeg' });
    const record: RenderRecord = {
      videoPath: `${prefix}/movie.mp4`,
      posterPath: `${prefix}/poster.jpg`,
      gifPath: null,
      captions: null,
      durationSeconds: 3,
      width: 1280,
      height: 720,
      owner: 'alice',
      projectId: made.id,
      jobId,
      options: { quality: 'draft', resolution: '720p', polish: null, gif: false },
      createdAt: new Date().toISOString(),
    };
    await world.docs.set(COLLECTIONS.renders, jobId, record);
    const res = await compose().post(`/v1/projects/${made.id}/publish`).set(alice).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.publicId as string;
  }

  it.each(HOSTILE.map((h) => [h]))('%s', async (hostile) => {
    const title = `${hostile} ${UNUSUAL}`;
    const description = `${hostile} & more <b>bold</b>`;
    const publicId = await publishWith({ title, description });
    for (const path of [`/share/${publicId}`, `/share/${publicId}?embed=1`]) {
      const res = await supertest(world.share).get(path).expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.headers['content-security-policy']).not.toMatch(/script-src|unsafe-inline/);
      const page = parsePage(res.text);
      expect(page.all('script')).toEqual([]);
      expect(page.all('svg')).toEqual([]);
      expect(page.all('b')).toEqual([]);
      for (const el of page.elements) {
        for (const a of el.attrs) {
          expect(a.name, `${el.tagName}[${a.name}]`).not.toMatch(/^on/i);
          if (['href', 'src', 'content', 'poster'].includes(a.name)) expect(a.value).not.toMatch(/^\s*javascript:/i);
        }
      }
      // The app's own link alone (none in the bare player): the hostile anchor stayed text.
      const links = path.includes('embed') ? [] : [`${world.env.PUBLIC_BASE_URL}/`];
      expect(page.all('a').map((a) => page.attr(a, 'href'))).toEqual(links);
      expect(page.text(page.one('title'))).toContain(title);
      if (!path.includes('embed')) {
        expect(page.text(page.one('h1'))).toBe(title);
        const metas = page.metas();
        expect(metas.get('og:title')).toBe(title);
        expect(metas.get('og:description')).toBe(description);
        expect(metas.get('twitter:title')).toBe(title);
      }
    }
  });

  it('shows a hostile project title as text when the publish request names none', async () => {
    const title = `${HOSTILE[1]} ${HOSTILE[0]}`;
    const publicId = await publishWith({ description: 'Plain.' }, title);
    const page = parsePage((await supertest(world.share).get(`/share/${publicId}`).expect(200)).text);
    expect(page.all('script')).toEqual([]);
    expect(page.all('img').every((img) => page.attr(img, 'onerror') === undefined)).toBe(true);
    expect(page.text(page.one('h1'))).toBe(title);
    expect(page.metas().get('og:title')).toBe(title);
  });

  it('answers an id made of markup with the plain 404 page, not an echo', async () => {
    const res = await supertest(world.share).get(`/share/${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('<script>alert');
    expect(parsePage(res.text).all('script')).toEqual([]);
  });
});

describe('captions escape scene words for their formats', () => {
  it('WebVTT gets character references; ASS gets its override braces escaped', async () => {
    const words = [
      { text: '<script>alert(1)</script>', start: 0, end: 0.8 },
      { text: '{\\pos(0,0)\\fs200}big', start: 0.8, end: 1.6 },
      { text: '-->', start: 1.6, end: 2 },
    ];
    const res = await supertest(world.app('align-captions'))
      .post('/v1/captions')
      .set(alice)
      .send({ projectId: 'p1', timeline: { durationSeconds: 2.5, words } })
      .expect(200);
    const vtt = (await world.blobs.get(res.body.paths.vtt)).toString('utf8');
    expect(vtt).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(vtt).not.toContain('<script>');
    // A cue's text cannot end its timing line early or start a new cue.
    expect(vtt.match(/-->/g)?.length).toBe(vtt.match(/^\d\d:\d\d:\d\d\.\d{3} --> /gm)?.length);
    const ass = (await world.blobs.get(res.body.paths.ass)).toString('utf8');
    const events = ass.split('[Events]')[1] ?? '';
    expect(events).toContain('\\{');
    expect(events).not.toContain('{\\pos(0,0)');
  });
});

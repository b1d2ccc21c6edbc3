import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { serviceUrl } from '@storyreel/config';
import { blobUrlSignature, chargeQuota, type ErrorCode, PLAN_LIMITS } from '@storyreel/shared';
import { serviceHeaders, TEST_MESH_SECRET, userHeaders } from '@storyreel/shared/testing';
import { SignJWT } from 'jose';
import sharp from 'sharp';
import supertest, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorBody } from './errorBody.js';
import {
  APP_CHECK_DEBUG_TOKEN,
  type HardeningWorld,
  type MeshServiceName,
  startHardeningWorld,
} from './hardeningWorld.js';

/**
 * Bad input against every service of the mesh, in process. Each case asserts
 * the status, the error body of DESIGN.md, and that nothing was written or
 * lost: every user document and every stored object is the same after the
 * request as before it.
 */

const STORY = 'The fox watched the stars. At dawn she followed the last one over the hill.';
const alice = userHeaders('alice');
const bob = userHeaders('bob');
/** A free user who made today's 10 movies already. */
const carol = userHeaders('carol');

let world: HardeningWorld;
let aliceProject: string;
let bobProject: string;
let carolProject: string;
let bobJob: string;
/** An open upload session of alice's (4 bytes declared, none sent). */
let aliceUpload: string;
/** Any caller's idempotency key is theirs alone; this one is alice's. */
const REPLAYED_KEY = 'hardening-replayed-key-1';
const GZIP_BOMB = gzipSync(Buffer.from(`{"title": "${' '.repeat(40 * 1024 * 1024)}"}`));
/** Fake keys of the right (and a wrong) shape; the offline verifier never calls the provider. */
const GEMINI_KEY = `AIza${'B'.repeat(35)}`;
const PASTED_BAD_KEY = `AIza${'Q7'.repeat(17)}`;
const trap = { hits: [] as string[], port: 0, server: http.createServer() };

const api = (name: MeshServiceName) => supertest(world.app(name));
const media = () => world.env.MEDIA_BUCKET;
const objects = (path: string) => supertest(world.objects).get(path);
const future = () => Math.floor(Date.now() / 1000) + 600;
const aliceImageKey = () => `users/alice/projects/${aliceProject}/images/one.png`;
const aliceFolder = () => `gs://${media()}/users/alice/projects/${aliceProject}`;

/** The smallest valid render manifest of alice's project (its image exists). */
const manifest = (overrides: Record<string, unknown> = {}) => ({
  version: 1,
  quality: 'draft',
  outputPrefix: `${aliceFolder()}/renders`,
  scenes: [{ imagePath: `${aliceFolder()}/images/one.png`, durationSeconds: 1 }],
  ...overrides,
});

const HUGE = (bytes: number) => JSON.stringify({ title: 'x', story: 'y'.repeat(bytes) });

async function meshToken(options: { secret?: string; audience?: string; expired?: boolean }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ svc: 'compose' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('storyreel-mesh')
    .setAudience(options.audience ?? serviceUrl(world.env, 'music'))
    .setIssuedAt(options.expired ? now - 3600 : now)
    .setExpirationTime(options.expired ? now - 1800 : now + 300)
    .sign(new TextEncoder().encode(options.secret ?? TEST_MESH_SECRET));
}

/** A request through a listening server and fetch, read back in supertest's shape. */
async function overSocket(app: http.RequestListener, path: string, init: RequestInit): Promise<Response> {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, init);
    const text = await res.text();
    return {
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: JSON.parse(text),
      text,
    } as unknown as Response;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

interface BadInputCase {
  name: string;
  send: () => Promise<Response>;
  status: number;
  code: ErrorCode;
  fields?: string[];
  /** More to check than the error body (a side effect that must not have happened). */
  also?: (res: Response) => void | Promise<void>;
}

/** A POST of exactly these bytes (malformed JSON, escapes supertest would not send), as alice. */
const rawPost = (name: MeshServiceName, path: string, body: string, type = 'application/json') =>
  api(name).post(path).set(alice).set('content-type', type).send(body);

const cases: BadInputCase[] = [
  // Bad JSON and wrong types.
  {
    name: 'compose: truncated JSON (400)',
    send: () => rawPost('compose', '/v1/projects', '{"title": "The Fox", "story": '),
    status: 400,
    code: 'invalid_argument',
  },
  {
    name: 'narrate: JSON with a trailing comma (400)',
    send: () => rawPost('narrate', '/v1/narrate', '{"projectId": "p1",}'),
    status: 400,
    code: 'invalid_argument',
  },
  {
    name: 'align-captions: a bare JSON null (400)',
    send: () => rawPost('align-captions', '/v1/align', 'null'),
    status: 400,
    code: 'invalid_argument',
  },
  {
    name: 'music: a JSON array instead of an object (422)',
    send: () =>
      api('music')
        .post('/v1/music')
        .set(alice)
        .send([{ mood: 'calm' }]),
    status: 422,
    code: 'invalid_argument',
  },
  {
    name: 'render: a JSON body sent as text/plain (422, not parsed as anything)',
    send: () => rawPost('render', '/v1/render', JSON.stringify(manifest()), 'text/plain'),
    status: 422,
    code: 'invalid_argument',
  },
  {
    name: 'compose: title a number, targetSeconds a string (422 naming both)',
    send: () => api('compose').post('/v1/projects').set(alice).send({ title: 42, story: STORY, targetSeconds: '60' }),
    status: 422,
    code: 'invalid_argument',
    fields: ['title', 'targetSeconds'],
  },
  {
    name: 'compose: a patch whose version is a string (422)',
    send: () =>
      api('compose').patch(`/v1/projects/${aliceProject}`).set(alice).send({ version: '2', title: 'Renamed' }),
    status: 422,
    code: 'invalid_argument',
    fields: ['version'],
  },
  {
    name: 'compose: scenes as an object, not a list (422)',
    send: () =>
      api('compose')
        .patch(`/v1/projects/${aliceProject}/scenes`)
        .set(alice)
        .send({ version: 2, scenes: { 0: { text: 'x' } } }),
    status: 422,
    code: 'invalid_argument',
    fields: ['scenes'],
  },
  {
    name: 'narrate: speed a word, scenes a string (422)',
    send: () =>
      api('narrate')
        .post('/v1/narrate')
        .set(alice)
        .send({ projectId: 'p1', voice: 'en-us-1', speed: 'fast', scenes: 'hello' }),
    status: 422,
    code: 'invalid_argument',
    fields: ['speed', 'scenes'],
  },
  {
    name: 'music: a negative tempo and a duration of 1e308 (422)',
    send: () => api('music').post('/v1/music').set(alice).send({ mood: 'calm', durationSeconds: 1e308, tempo: -1 }),
    status: 422,
    code: 'invalid_argument',
    fields: ['durationSeconds', 'tempo'],
  },
  {
    name: 'upload: size a string and sha256 a number (422)',
    send: () =>
      api('upload')
        .post('/v1/uploads')
        .set(alice)
        .send({ projectId: aliceProject, kind: 'image', size: '12', contentType: 'image/png', sha256: 123 }),
    status: 422,
    code: 'invalid_argument',
    fields: ['size', 'sha256'],
  },
  {
    name: 'align-captions: fractional caption width and no height (422)',
    send: () =>
      api('align-captions')
        .post('/v1/captions')
        .set(alice)
        .send({ projectId: 'p1', timeline: { durationSeconds: 2, words: [] }, width: 640.5 }),
    status: 422,
    code: 'invalid_argument',
    fields: ['width'],
  },
  {
    name: 'render: a manifest of the wrong version with an unknown field (422)',
    send: () =>
      api('render')
        .post('/v1/render')
        .set(alice)
        .send(manifest({ version: 99, shell: 'rm -rf /' })),
    status: 422,
    code: 'invalid_argument',
  },

  // Huge bodies: refused by the body limit before any handler runs.
  {
    name: 'compose: a 3 MB project (413)',
    send: () => rawPost('compose', '/v1/projects', HUGE(3 * 1024 * 1024)),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'narrate: a 5 MB narration request (413)',
    send: () => rawPost('narrate', '/v1/narrate', HUGE(5 * 1024 * 1024)),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'music: a 2 MB soundtrack request (413)',
    send: () => rawPost('music', '/v1/music', HUGE(2 * 1024 * 1024)),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'render: a 2 MB manifest (413)',
    send: () => rawPost('render', '/v1/render', HUGE(2 * 1024 * 1024)),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'compose: a story of 400,000 characters, under the body limit (422)',
    send: () =>
      api('compose')
        .post('/v1/projects')
        .set(alice)
        .send({ title: 'Long', story: 'a '.repeat(200_000) }),
    status: 422,
    code: 'invalid_argument',
    fields: ['story'],
  },

  {
    name: 'compose: a gzip bomb, 40 KB that inflate to 40 MB (413)',
    // Over a real socket: supertest re-encodes a body sent with Content-Encoding.
    send: () =>
      overSocket(world.app('compose'), '/v1/projects', {
        method: 'POST',
        headers: { ...alice, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: GZIP_BOMB,
      }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'compose: JSON nested 100,000 deep (422, not a crash)',
    send: () => rawPost('compose', '/v1/projects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`),
    status: 422,
    code: 'invalid_argument',
  },
  {
    name: 'compose: a __proto__ key (422, and no object gains its fields)',
    send: () =>
      rawPost('compose', '/v1/projects', `{"title": "Fox", "story": "${STORY}", "__proto__": {"isAdmin": true}}`),
    status: 422,
    code: 'invalid_argument',
    also: () => expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined(),
  },

  // Unicode edge cases.
  {
    name: 'compose: a title with a lone surrogate (422)',
    send: () => rawPost('compose', '/v1/projects', `{"title": "Fox \\ud83e", "story": "${STORY}"}`),
    status: 422,
    code: 'invalid_argument',
    fields: ['title'],
  },
  {
    name: 'compose: a story with a lone low surrogate (422)',
    send: () => rawPost('compose', '/v1/projects', `{"title": "Fox", "story": "Dawn \\udc00 came."}`),
    status: 422,
    code: 'invalid_argument',
    fields: ['story'],
  },
  {
    name: 'compose: a title of zero-width characters only (422, it is blank)',
    send: () => api('compose').post('/v1/projects').set(alice).send({ title: '\u200b\u200d\ufeff', story: STORY }),
    status: 422,
    code: 'invalid_argument',
    fields: ['title'],
  },
  {
    name: 'compose: a NUL in the title (422)',
    send: () => api('compose').post('/v1/projects').set(alice).send({ title: 'Fox\u0000Tail', story: STORY }),
    status: 422,
    code: 'invalid_argument',
    fields: ['title'],
  },
  {
    name: 'compose: 201 four-byte emoji, over the 200 characters of a title (422)',
    send: () =>
      api('compose')
        .post('/v1/projects')
        .set(alice)
        .send({ title: '🦊'.repeat(201), story: STORY }),
    status: 422,
    code: 'invalid_argument',
    fields: ['title'],
  },
  {
    name: 'narrate: scene text with a lone surrogate (422)',
    send: () =>
      rawPost(
        'narrate',
        '/v1/narrate',
        '{"projectId": "p1", "voice": "en-us-1", "scenes": [{"id": "s1", "text": "Dawn \\ud800"}]}',
      ),
    status: 422,
    code: 'invalid_argument',
    fields: ['scenes.0.text'],
  },
  {
    name: 'narrate: scene text of zero-width characters only (422)',
    send: () =>
      api('narrate')
        .post('/v1/narrate')
        .set(alice)
        .send({ projectId: 'p1', voice: 'en-us-1', scenes: [{ id: 's1', text: '\u200b\u2060\u200c' }] }),
    status: 422,
    code: 'invalid_argument',
    fields: ['scenes.0.text'],
  },
  {
    name: 'narrate: an id with an RTL override (422)',
    send: () =>
      api('narrate')
        .post('/v1/narrate')
        .set(alice)
        .send({ projectId: 'p1\u202egnp', voice: 'en-us-1', scenes: [{ id: 's1', text: 'Dawn.' }] }),
    status: 422,
    code: 'invalid_argument',
    fields: ['projectId'],
  },

  // gs:// traversal and foreign buckets.
  {
    name: "render: an image path that climbs out of alice's folder with .. (422)",
    send: () =>
      api('render')
        .post('/v1/render')
        .set(alice)
        .send(
          manifest({
            scenes: [
              { imagePath: `gs://${media()}/users/alice/../bob/projects/${bobProject}/x.png`, durationSeconds: 1 },
            ],
          }),
        ),
    status: 422,
    code: 'invalid_argument',
    fields: ['scenes.0.imagePath'],
  },
  {
    name: 'render: an encoded ../ in the image path (422)',
    send: () =>
      api('render')
        .post('/v1/render')
        .set(alice)
        .send(
          manifest({
            scenes: [{ imagePath: `gs://${media()}/users/alice/%2e%2e/bob/x.png`, durationSeconds: 1 }],
          }),
        ),
    status: 422,
    code: 'invalid_argument',
    fields: ['scenes.0.imagePath'],
  },
  {
    name: 'render: music from a bucket that is not ours (422)',
    send: () =>
      api('render')
        .post('/v1/render')
        .set(alice)
        .send(manifest({ music: { path: 'gs://attacker-bucket/users/alice/m.wav' } })),
    status: 422,
    code: 'invalid_argument',
    fields: ['music.path'],
  },
  {
    name: "render: output into bob's project (403)",
    send: () =>
      api('render')
        .post('/v1/render')
        .set(alice)
        .send(manifest({ outputPrefix: `gs://${media()}/users/bob/projects/${bobProject}/renders` })),
    status: 403,
    code: 'permission_denied',
  },
  {
    name: "render: bob's picture in alice's movie (404, as if absent)",
    send: () =>
      api('render')
        .post('/v1/render')
        .set(alice)
        .send(
          manifest({
            scenes: [{ imagePath: `gs://${media()}/users/bob/projects/${bobProject}/one.png`, durationSeconds: 1 }],
          }),
        ),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'align-captions: audio with a backslash traversal (400)',
    send: () =>
      api('align-captions')
        .post('/v1/align')
        .set(alice)
        .send({ audioPath: `gs://${media()}/users/alice/..\\bob\\a.wav`, text: 'Dawn came.' }),
    status: 400,
    code: 'invalid_argument',
  },
  {
    name: 'align-captions: audio in a foreign bucket (400)',
    send: () =>
      api('align-captions')
        .post('/v1/align')
        .set(alice)
        .send({ audioPath: 'gs://attacker-bucket/users/alice/a.wav', text: 'Dawn came.' }),
    status: 400,
    code: 'invalid_argument',
  },
  {
    name: "align-captions: bob's audio (404)",
    send: () =>
      api('align-captions')
        .post('/v1/align')
        .set(alice)
        .send({ audioPath: `gs://${media()}/users/bob/projects/${bobProject}/a.wav`, text: 'Dawn came.' }),
    status: 404,
    code: 'not_found',
  },
  {
    name: "upload: a signed URL of bob's file (404)",
    send: () =>
      api('upload')
        .get('/v1/media/signed-url')
        .query({ path: `gs://${media()}/users/bob/projects/${bobProject}/uploads/x.png` })
        .set(alice),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'upload: a signed URL of an absolute key (400)',
    send: () =>
      api('upload')
        .get('/v1/media/signed-url')
        .query({ path: `gs://${media()}//etc/passwd` })
        .set(alice),
    status: 400,
    code: 'invalid_argument',
  },

  // Another user's project and job ids: 404, never 403, and never touched.
  {
    name: "compose: GET bob's project as alice (404)",
    send: () => api('compose').get(`/v1/projects/${bobProject}`).set(alice),
    status: 404,
    code: 'not_found',
  },
  {
    name: "compose: PATCH bob's project as alice (404)",
    send: () => api('compose').patch(`/v1/projects/${bobProject}`).set(alice).send({ version: 2, title: 'Mine now' }),
    status: 404,
    code: 'not_found',
  },
  {
    name: "compose: DELETE bob's project as alice (404)",
    send: () => api('compose').delete(`/v1/projects/${bobProject}`).set(alice),
    status: 404,
    code: 'not_found',
  },
  {
    name: "compose: render bob's project as alice (404)",
    send: () => api('compose').post(`/v1/projects/${bobProject}/render`).set(alice).send({}),
    status: 404,
    code: 'not_found',
  },
  {
    name: "compose: publish bob's project as alice (404)",
    send: () => api('compose').post(`/v1/projects/${bobProject}/publish`).set(alice).send({ title: 'Stolen' }),
    status: 404,
    code: 'not_found',
  },
  {
    name: "compose: read bob's job as alice (404)",
    send: () => api('compose').get(`/v1/jobs/${bobJob}`).set(alice),
    status: 404,
    code: 'not_found',
  },
  {
    name: "compose: cancel bob's job as alice (404)",
    send: () => api('compose').post(`/v1/jobs/${bobJob}/cancel`).set(alice).send({}),
    status: 404,
    code: 'not_found',
  },
  {
    name: "compose: bob's job log as alice (404)",
    send: () => api('compose').get(`/v1/jobs/${bobJob}/logs`).set(alice),
    status: 404,
    code: 'not_found',
  },
  {
    name: "render: bob's render progress as alice (404)",
    send: () => api('render').get(`/v1/renders/${bobJob}`).set(alice),
    status: 404,
    code: 'not_found',
  },
  {
    name: "upload: an upload into bob's project (404)",
    send: () =>
      api('upload')
        .post('/v1/uploads')
        .set(alice)
        .send({ projectId: bobProject, kind: 'image', size: 10, contentType: 'image/png', sha256: 'a'.repeat(64) }),
    status: 404,
    code: 'not_found',
  },
  {
    name: "upload: list bob's project uploads (404)",
    send: () => api('upload').get(`/v1/projects/${bobProject}/uploads`).set(alice),
    status: 404,
    code: 'not_found',
  },

  {
    name: "upload: bob reads alice's upload session (404)",
    send: () => api('upload').get(`/v1/uploads/${aliceUpload}`).set(bob),
    status: 404,
    code: 'not_found',
  },
  {
    name: "upload: bob writes a chunk into alice's upload session (404, her offset unchanged)",
    send: () =>
      api('upload')
        .put(`/v1/uploads/${aliceUpload}`)
        .set(bob)
        .set('content-type', 'application/octet-stream')
        .set('content-range', 'bytes 0-3/4')
        .send(Buffer.from('evil')),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'upload: an SVG declared as the image (415: scripts can live in SVG)',
    send: () =>
      api('upload')
        .post('/v1/uploads')
        .set(alice)
        .send({
          projectId: aliceProject,
          kind: 'image',
          size: 10,
          contentType: 'image/svg+xml',
          sha256: 'a'.repeat(64),
        }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'upload: a declared size of a terabyte (413)',
    send: () =>
      api('upload')
        .post('/v1/uploads')
        .set(alice)
        .send({
          projectId: aliceProject,
          kind: 'image',
          size: 2 ** 40,
          contentType: 'image/png',
          sha256: 'a'.repeat(64),
        }),
    status: 413,
    code: 'payload_too_large',
  },

  {
    name: "compose: a render past the day's plan limit (429 with Retry-After, no job made)",
    send: () => api('compose').post(`/v1/projects/${carolProject}/render`).set(carol).send({ quality: 'draft' }),
    status: 429,
    code: 'rate_limited',
    also: (res) => {
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(86_400);
    },
  },

  {
    name: 'compose: a second render of a project whose movie is being made (409 naming the job)',
    send: () => api('compose').post(`/v1/projects/${bobProject}/render`).set(bob).send({ quality: 'draft' }),
    status: 409,
    code: 'conflict',
    also: (res) => expect(res.body.error.details).toEqual({ jobId: bobJob }),
  },
  {
    name: 'compose: a retry of a job that has not failed (409)',
    send: () => api('compose').post(`/v1/jobs/${bobJob}/retry`).set(bob).send({}),
    status: 409,
    code: 'conflict',
  },

  // Object URLs (signed for the media bucket, durable for the public one), as GCS serves them.
  {
    name: 'objects: a signed URL with a forged signature (403)',
    send: () => objects(`/blobs/${media()}/${aliceImageKey()}?expires=${future()}&sig=${'A'.repeat(43)}`),
    status: 403,
    code: 'permission_denied',
  },
  {
    name: 'objects: a correctly signed URL that has expired (403)',
    send: () => {
      const expires = Math.floor(Date.now() / 1000) - 60;
      const sig = blobUrlSignature(media(), aliceImageKey(), expires, world.env.URL_SIGNING_SECRET as string);
      return objects(`/blobs/${media()}/${aliceImageKey()}?expires=${expires}&sig=${sig}`);
    },
    status: 403,
    code: 'permission_denied',
  },
  {
    name: "objects: alice's signed URL pointed at bob's picture (403)",
    send: async () => {
      const url = new URL(await world.blobs.signedUrl(`gs://${media()}/${aliceImageKey()}`, 600));
      return objects(`/blobs/${media()}/users/bob/projects/${bobProject}/one.png${url.search}`);
    },
    status: 403,
    code: 'permission_denied',
  },
  {
    name: 'objects: a private media object on the public route (404)',
    send: () => objects(`/public/${media()}/${aliceImageKey()}`),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'objects: an encoded .. in an object URL (400)',
    send: () => objects(`/public/${world.env.PUBLIC_BUCKET}/movies/%2E%2E/%2E%2E/users/alice/x.png`),
    status: 400,
    code: 'invalid_argument',
  },
  {
    name: 'objects: a media object URL with no signature (403)',
    send: () => objects(`/blobs/${media()}/${aliceImageKey()}`),
    status: 403,
    code: 'permission_denied',
  },

  // Missing and forged credentials.
  {
    name: 'compose: no token (401)',
    send: () => api('compose').get('/v1/projects'),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'compose: a token that is not one (401)',
    send: () => api('compose').get('/v1/projects').set('authorization', 'Bearer eyJhbGciOiJub25lIn0.e30.'),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'narrate: a mesh token signed with another secret (401)',
    send: async () =>
      api('narrate')
        .post('/v1/narrate')
        .set({
          ...(await serviceHeaders('narrate', { onBehalfOf: 'alice', secret: 'x'.repeat(48) })),
        })
        .send({ projectId: 'p1', voice: 'en-us-1', scenes: [{ id: 's1', text: 'Dawn.' }] }),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'music: an expired mesh token (401)',
    send: async () =>
      api('music')
        .post('/v1/music')
        .set({
          'x-serverless-authorization': `Bearer ${await meshToken({ expired: true })}`,
          'x-storyreel-user': 'alice',
        })
        .send({ mood: 'calm', durationSeconds: 5 }),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'render: a mesh token meant for another service (401)',
    send: async () =>
      api('render')
        .post('/v1/render')
        .set(await serviceHeaders('music', { onBehalfOf: 'alice' }))
        .send(manifest()),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'upload: x-storyreel-user without mesh credentials is nobody (401)',
    send: () => api('upload').get('/v1/upload-quota').set('x-storyreel-user', 'alice'),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'api-key: quota without a token (401)',
    send: () => api('api-key').get('/v1/quota'),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'api-key: quota with a forged dev token (401)',
    send: () => api('api-key').get('/v1/quota').set('authorization', 'Bearer dev:alice:root'),
    status: 401,
    code: 'unauthenticated',
  },

  // polish: the movie path is checked like every gs:// path, and only the owner's movie may be polished.
  {
    name: 'polish: a movie path that climbs out with .. (400)',
    send: () =>
      api('polish')
        .post('/v1/polish')
        .set(alice)
        .send({ videoPath: `gs://${media()}/users/alice/../bob/m.mp4`, denoise: 'light' }),
    status: 400,
    code: 'invalid_argument',
  },
  {
    name: 'polish: a movie in a foreign bucket (400)',
    send: () =>
      api('polish')
        .post('/v1/polish')
        .set(alice)
        .send({ videoPath: 'gs://attacker-bucket/users/alice/m.mp4', denoise: 'light' }),
    status: 400,
    code: 'invalid_argument',
  },
  {
    name: "polish: bob's movie as alice (404)",
    send: () =>
      api('polish')
        .post('/v1/polish')
        .set(alice)
        .send({ videoPath: `gs://${media()}/users/bob/projects/${bobProject}/one.png`, denoise: 'light' }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'polish: nothing asked for and an unknown upscale (422)',
    send: () =>
      api('polish')
        .post('/v1/polish')
        .set(alice)
        .send({ videoPath: `${aliceFolder()}/renders/m.mp4`, upscale: '8k' }),
    status: 422,
    code: 'invalid_argument',
    fields: ['upscale'],
  },
  {
    name: 'polish: no token (401)',
    send: () =>
      api('polish')
        .post('/v1/polish')
        .send({ videoPath: `${aliceFolder()}/m.mp4`, denoise: 'light' }),
    status: 401,
    code: 'unauthenticated',
  },

  // api-key: keys are checked before anything is stored, never echoed, and nobody else's.
  {
    name: 'api-key: a Gemini key one character short (422, the key not echoed)',
    send: () => api('api-key').put('/v1/keys/gemini').set(alice).send({ apiKey: PASTED_BAD_KEY }),
    status: 422,
    code: 'invalid_argument',
    fields: ['apiKey'],
    also: (res) => expect(JSON.stringify(res.body)).not.toContain(PASTED_BAD_KEY.slice(4)),
  },
  {
    name: 'api-key: an unknown provider (422)',
    send: () => api('api-key').put('/v1/keys/openai').set(alice).send({ apiKey: GEMINI_KEY }),
    status: 422,
    code: 'invalid_argument',
    fields: ['params.provider'],
  },
  {
    name: 'api-key: a key that is a number (422)',
    send: () => api('api-key').put('/v1/keys/gemini').set(alice).send({ apiKey: 1234 }),
    status: 422,
    code: 'invalid_argument',
    fields: ['apiKey'],
  },
  {
    name: "api-key: bob deletes a provider key only alice stored (404; alice's key kept)",
    send: () => api('api-key').delete('/v1/keys/gemini').set(bob),
    status: 404,
    code: 'not_found',
  },
  {
    name: "api-key: a user asking the internal route for alice's plaintext key (403)",
    send: () => api('api-key').get('/internal/v1/keys/gemini').set(alice),
    status: 403,
    code: 'permission_denied',
  },
  {
    name: 'api-key: a service asking for a plaintext key without naming the user (403)',
    send: async () =>
      api('api-key')
        .get('/internal/v1/keys/gemini')
        .set(await serviceHeaders('api-key')),
    status: 403,
    code: 'permission_denied',
  },
  {
    name: 'api-key: a key stored without a token (401)',
    send: () => api('api-key').put('/v1/keys/gemini').send({ apiKey: GEMINI_KEY }),
    status: 401,
    code: 'unauthenticated',
  },

  // More of the usual: stale versions, bad queries, wrong content types, unknown catalogue ids.
  {
    name: 'compose: a patch made on a stale version (409, the newer project kept)',
    send: () => api('compose').patch(`/v1/projects/${aliceProject}`).set(alice).send({ version: 1, title: 'Old' }),
    status: 409,
    code: 'conflict',
  },
  {
    name: 'compose: a list limit that is not a number (422)',
    send: () => api('compose').get('/v1/projects?limit=all').set(alice),
    status: 422,
    code: 'invalid_argument',
    fields: ['query.limit'],
  },
  {
    name: 'upload: a chunk sent as text/plain (415)',
    send: () =>
      api('upload')
        .put('/v1/uploads/some-session')
        .set(alice)
        .set('content-type', 'text/plain')
        .set('content-range', 'bytes 0-3/4')
        .send('abcd'),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'narrate: a preview of a voice that does not exist (404)',
    send: () => api('narrate').post('/v1/voices/xx-evil-1/preview').set(alice).send({}),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'music: a preview of a mood that does not exist (404)',
    send: () => api('music').post('/v1/moods/%3Cscript%3E/preview').set(alice).send({}),
    status: 404,
    code: 'not_found',
    // The message quotes the id; JSON with nosniff keeps it inert (checked for every case).
    also: (res) => expect(res.body.error.message).toBe('mood <script> not found'),
  },

  // App Check, enforced.
  {
    name: 'App Check enforced: no token (401)',
    send: () => supertest(world.enforcedCompose).get('/v1/projects').set(alice),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'App Check enforced: a forged, expired token (401)',
    send: async () =>
      supertest(world.enforcedCompose)
        .get('/v1/projects')
        .set(alice)
        .set(
          'x-firebase-appcheck',
          await new SignJWT({ sub: '1:123:web:abc' })
            .setProtectedHeader({ alg: 'HS256', kid: 'forged' })
            .setIssuer('https://firebaseappcheck.googleapis.com/123')
            .setAudience(['projects/123', 'projects/demo-storyreel'])
            .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
            .sign(new TextEncoder().encode('not-google')),
        ),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'App Check enforced: a debug token one character off (401)',
    send: () =>
      supertest(world.enforcedCompose)
        .post('/v1/projects')
        .set(alice)
        .set('x-firebase-appcheck', `${APP_CHECK_DEBUG_TOKEN.slice(0, -1)}X`)
        .send({ title: 'Fox', story: STORY }),
    status: 401,
    code: 'unauthenticated',
  },

  // SSRF through ingest-url (the production guard: no loopback exception).
  ...[
    ['loopback', () => `http://127.0.0.1:${trap.port}/secret.png`],
    ['localhost by name', () => `http://localhost:${trap.port}/secret.png`],
    ['cloud metadata', () => 'http://169.254.169.254/computeMetadata/v1/'],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:7f00:1]:${trap.port}/secret.png`],
    ['file:', () => 'file:///etc/passwd'],
  ].map(
    ([label, url]): BadInputCase => ({
      name: `upload: ingest-url to ${label as string} (400, never fetched)`,
      send: () =>
        api('upload')
          .post('/v1/ingest-url')
          .set(alice)
          .send({ projectId: aliceProject, url: (url as () => string)() }),
      status: 400,
      code: 'invalid_argument',
      also: () => expect(trap.hits).toEqual([]),
    }),
  ),

  // Idempotency keys replayed with another body.
  {
    name: 'compose: an idempotency key replayed with a different project (409)',
    send: () =>
      api('compose')
        .post('/v1/projects')
        .set(alice)
        .set('idempotency-key', REPLAYED_KEY)
        .send({ title: 'Another fox', story: STORY }),
    status: 409,
    code: 'conflict',
  },
  {
    name: 'narrate: an idempotency key replayed with other scene text (409)',
    send: () =>
      api('narrate')
        .post('/v1/narrate')
        .set(alice)
        .set('idempotency-key', REPLAYED_KEY)
        .send({ projectId: 'p1', voice: 'en-us-1', scenes: [{ id: 's1', text: 'Goodbye.' }] }),
    status: 409,
    code: 'conflict',
  },
  {
    name: 'compose: an idempotency key that is not printable ASCII (400)',
    send: () =>
      api('compose')
        .post('/v1/projects')
        .set(alice)
        .set('idempotency-key', 'k\u00e9y')
        .send({ title: 'Fox', story: STORY }),
    status: 400,
    code: 'invalid_argument',
  },
];

beforeAll(async () => {
  world = await startHardeningWorld();
  await new Promise<void>((resolve) => {
    trap.server.on('request', (req, res) => {
      trap.hits.push(req.url ?? '');
      res.end('secret');
    });
    trap.server.listen(0, '127.0.0.1', () => resolve());
  });
  trap.port = (trap.server.address() as AddressInfo).port;

  const create = async (headers: Record<string, string>, title: string) => {
    const res = await api('compose').post('/v1/projects').set(headers).send({ title, story: STORY }).expect(201);
    await api('compose').post(`/v1/projects/${res.body.id}/storyboard`).set(headers).send({}).expect(200);
    return res.body.id as string;
  };
  aliceProject = await create(alice, "Alice's fox");
  bobProject = await create(bob, "Bob's fox");
  carolProject = await create(carol, "Carol's fox");
  for (let i = 0; i < PLAN_LIMITS.free; i++) await chargeQuota(world.docs, 'carol');
  const png = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#336' } })
    .png()
    .toBuffer();
  await world.blobs.put(`${aliceFolder()}/images/one.png`, png, { contentType: 'image/png' });
  await world.blobs.put(`gs://${media()}/users/bob/projects/${bobProject}/one.png`, png, { contentType: 'image/png' });
  const job = await api('compose').post(`/v1/projects/${bobProject}/render`).set(bob).send({ quality: 'draft' });
  expect(job.status, JSON.stringify(job.body)).toBe(202);
  bobJob = job.body.job.id;
  const session = await api('upload')
    .post('/v1/uploads')
    .set(alice)
    .send({ projectId: aliceProject, kind: 'image', size: 4, contentType: 'image/png', sha256: 'b'.repeat(64) })
    .expect(201);
  aliceUpload = session.body.id;
  await api('api-key').put('/v1/keys/gemini').set(alice).send({ apiKey: GEMINI_KEY }).expect(200);
  // Version 2 after the storyboard; a rename makes it 3, so version 1 is stale.
  await api('compose')
    .patch(`/v1/projects/${aliceProject}`)
    .set(alice)
    .send({ version: 2, title: 'Renamed' })
    .expect(200);
  await api('narrate')
    .post('/v1/narrate')
    .set(alice)
    .set('idempotency-key', REPLAYED_KEY)
    .send({ projectId: 'p1', voice: 'en-us-1', scenes: [{ id: 's1', text: 'Hello.' }] })
    .expect(200);
  await api('compose')
    .post('/v1/projects')
    .set(alice)
    .set('idempotency-key', REPLAYED_KEY)
    .send({ title: 'First fox', story: STORY })
    .expect(201);
}, 60_000);

afterAll(async () => {
  trap.server.closeAllConnections();
  await new Promise((resolve) => trap.server.close(resolve));
  await world?.close();
});

describe('bad input to every service', () => {
  it('has at least 40 cases, across every service', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const covered = new Set(cases.map((c) => c.name.split(':')[0]));
    for (const name of ['compose', 'narrate', 'align-captions', 'music', 'render', 'upload', 'polish', 'api-key']) {
      expect(covered, name).toContain(name);
    }
  });

  it('serves a genuine signed URL, as its stored type and never sniffed', async () => {
    const url = new URL(await world.blobs.signedUrl(`gs://${media()}/${aliceImageKey()}`, 600));
    const res = await objects(`${url.pathname}${url.search}`).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sees a write: a good request and a stored object both change the snapshot', async () => {
    const before = await world.snapshot();
    await api('compose').post('/v1/projects').set(bob).send({ title: 'Good', story: STORY }).expect(201);
    const afterProject = await world.snapshot();
    expect(Object.keys(afterProject.docs).length).toBe(Object.keys(before.docs).length + 1);
    await world.blobs.put(`gs://${media()}/users/bob/projects/${bobProject}/note.txt`, 'x');
    expect(Object.keys((await world.snapshot()).blobs)).toHaveLength(Object.keys(afterProject.blobs).length + 1);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await world.snapshot();
    const res = await c.send();
    expectErrorBody(res, c.status, c.code, c.fields);
    await c.also?.(res);
    expect(await world.snapshot()).toEqual(before);
  });
});

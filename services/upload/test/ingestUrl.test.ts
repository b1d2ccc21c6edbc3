import { lookup } from 'node:dns/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { COLLECTIONS, type ResolvedAddress } from '@storyreel/shared';
import { createTestService, type TestService, userHeaders } from '@storyreel/shared/testing';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadRoutes } from '../src/routes.js';
import { noisyJpeg } from './mediaSamples.js';

/**
 * Two local servers: the "origin", the one host the test-only exception lets
 * the guard reach (127.0.0.1 on its own port), and the "target", a server on
 * every loopback address at another port, standing in for whatever an
 * attacker wants the service to reach. The target must never see a request.
 * A third server on 127.0.0.2 at the origin's port catches a connection
 * that follows a changed DNS answer instead of the checked address.
 */

const CAP = 256 * 1024;
const GUARD_REASONS = [
  'bad_url',
  'scheme_not_allowed',
  'credentials_in_url',
  'blocked_address',
  'dns_failed',
  'too_many_redirects',
  'bad_redirect',
];

interface CountingServer {
  server: http.Server;
  port: number;
  hits: string[];
}

async function listen(host: string, port: number, handler: http.RequestListener): Promise<CountingServer> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port, hits };
}

let png: Buffer;
let origin: CountingServer;
let target: CountingServer;
let rebindTarget: CountingServer;
let svc: TestService;
let bigStreamed = { bytes: 0, closedEarly: false };
const rebindLookups = { count: 0 };

const originUrl = (path: string) => `http://127.0.0.1:${origin.port}${path}`;

beforeAll(async () => {
  png = await sharp(await noisyJpeg(120, 80))
    .png()
    .toBuffer();
  origin = await listen('127.0.0.1', 0, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin');
    if (url.pathname === '/image.png') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
    } else if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    } else if (url.pathname.startsWith('/chain/')) {
      const left = Number(url.pathname.split('/')[2]);
      res.writeHead(301, { location: left > 1 ? `/chain/${left - 1}` : '/image.png' }).end();
    } else if (url.pathname === '/big') {
      // No Content-Length: only counting while streaming can stop this.
      res.writeHead(200, { 'content-type': 'image/png' });
      bigStreamed = { bytes: 0, closedEarly: false };
      res.on('close', () => {
        bigStreamed.closedEarly = !res.writableFinished;
      });
      res.write(png.subarray(0, 64));
      const block = Buffer.alloc(64 * 1024, 1);
      const pump = () => {
        while (bigStreamed.bytes < 20 * 1024 * 1024 && !res.destroyed) {
          bigStreamed.bytes += block.length;
          if (!res.write(block)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    } else if (url.pathname === '/big-declared') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(CAP * 10) }).end();
    } else if (url.pathname === '/page.html') {
      res.writeHead(200, { 'content-type': 'image/png' }).end('<!doctype html><title>not an image</title>');
    } else if (url.pathname === '/slow') {
      // Never answers: the total timeout must end it.
    } else {
      res.writeHead(404).end();
    }
  });
  target = await listen('::', 0, (_req, res) => res.end('secret'));
  rebindTarget = await listen('127.0.0.2', origin.port, (_req, res) => res.end('rebound'));

  const names: Record<string, string[]> = {
    'internal.test': ['10.1.2.3'],
    'loopback.test': ['127.0.0.1'],
    'metadata.test': ['169.254.169.254'],
    'mixed.test': ['93.184.216.34', '127.0.0.1'],
    'mapped.test': ['::ffff:127.0.0.1'],
    'ula.test': ['fd00::5'],
  };
  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    // localhost comes from /etc/hosts, not the network.
    if (host === 'localhost') {
      return (await lookup('localhost', { all: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
    }
    if (host === 'rebind.test') {
      // First answer: the allowed origin; every later one: somewhere else.
      rebindLookups.count++;
      return [{ address: rebindLookups.count === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    }
    const found = names[host];
    if (!found) throw Object.assign(new Error(`no such host ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  svc = await createTestService({
    name: 'upload',
    routes: (ctx) =>
      uploadRoutes(ctx, {
        limits: { imageMaxBytes: CAP, maxImageDimension: 256, thumbnailSize: 64, ingestTotalTimeoutMs: 1500 },
        ssrf: { resolve, testOnlyLoopbackExceptions: [{ address: '127.0.0.1', port: origin.port }] },
      }),
  });
  await svc.ctx.docs.create(COLLECTIONS.projects, 'p1', { owner: 'alice', title: 't', scenes: [] });
});

afterAll(async () => {
  await svc?.close();
  for (const s of [origin, target, rebindTarget]) {
    s?.server.closeAllConnections();
    await new Promise((resolve) => s?.server.close(resolve));
  }
});

const ingest = (url: string, uid = 'alice', projectId = 'p1') =>
  request(svc.app).post('/v1/ingest-url').set(userHeaders(uid)).send({ projectId, url });

describe('POST /v1/ingest-url refuses every SSRF attempt with 400 and never reaches the target', () => {
  const cases: [string, () => string][] = [
    ['loopback', () => `http://127.0.0.1:${target.port}/secret`],
    ['localhost', () => `http://localhost:${target.port}/secret`],
    ['IPv6 loopback', () => `http://[::1]:${target.port}/secret`],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
    ['10/8', () => `http://10.0.0.1:${target.port}/`],
    ['192.168/16', () => `http://192.168.1.1:${target.port}/`],
    ['172.16/12', () => `http://172.16.0.1:${target.port}/`],
    ['CGNAT', () => `http://100.64.0.1:${target.port}/`],
    ['0.0.0.0', () => `http://0.0.0.0:${target.port}/secret`],
    ['IPv6 unspecified', () => `http://[::]:${target.port}/secret`],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${target.port}/secret`],
    ['NAT64 of loopback', () => `http://[64:ff9b::7f00:1]:${target.port}/secret`],
    ['IPv6 unique local', () => `http://[fd00::1]:${target.port}/`],
    ['IPv6 link local', () => `http://[fe80::1]:${target.port}/`],
    ['decimal IP', () => `http://2130706433:${target.port}/secret`],
    ['hex IP', () => `http://0x7f000001:${target.port}/secret`],
    ['short IP', () => `http://127.1:${target.port}/secret`],
    ['https to loopback', () => `https://127.0.0.1:${target.port}/secret`],
    ['the allowed origin host on another port', () => `http://127.0.0.1:${target.port}/image.png`],
    ['ftp', () => `ftp://127.0.0.1:${target.port}/image.png`],
    ['file', () => 'file:///etc/passwd'],
    ['gopher', () => `gopher://127.0.0.1:${target.port}/_GET%20/secret`],
    ['credentials', () => `http://alice:pw@127.0.0.1:${origin.port}/image.png`],
    ['name resolving to 10.x', () => `http://internal.test:${target.port}/`],
    ['name resolving to loopback', () => `http://loopback.test:${target.port}/secret`],
    ['name resolving to the metadata IP', () => 'http://metadata.test/latest/meta-data/'],
    ['name resolving to public and private', () => `http://mixed.test:${target.port}/secret`],
    ['name resolving to IPv4-mapped loopback', () => `http://mapped.test:${target.port}/secret`],
    ['name resolving to IPv6 unique local', () => `http://ula.test:${target.port}/`],
    ['name that does not resolve', () => `http://nowhere.test:${target.port}/`],
    [
      'redirect to loopback',
      () => originUrl(`/redirect?to=${encodeURIComponent(`http://127.0.0.1:${target.port}/secret`)}`),
    ],
    [
      'redirect to the metadata IP',
      () => originUrl(`/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`),
    ],
    [
      'redirect to a name resolving to loopback',
      () => originUrl(`/redirect?to=${encodeURIComponent(`http://loopback.test:${target.port}/secret`)}`),
    ],
    ['redirect to file:', () => originUrl(`/redirect?to=${encodeURIComponent('file:///etc/passwd')}`)],
    ['more than 3 redirects', () => originUrl('/chain/4')],
  ];

  it('has at least 15 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)('%s', async (_name, url) => {
    const before = target.hits.length;
    const res = await ingest(url());
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(GUARD_REASONS).toContain(res.body.error.details.reason);
    expect(target.hits.length).toBe(before);
  });

  it('left the target untouched, and the origin saw only the redirecting requests', () => {
    expect(target.hits).toEqual([]);
    expect(rebindTarget.hits).toEqual([]);
    expect(origin.hits.every((u) => u.startsWith('/redirect') || u.startsWith('/chain/'))).toBe(true);
    expect(origin.hits).not.toContain('/image.png');
  });
});

describe('POST /v1/ingest-url fetches public images', () => {
  it('stores a fetched image like an upload, and reuses it the second time', async () => {
    const first = await ingest(originUrl('/image.png')).expect(201);
    expect(first.body).toMatchObject({
      kind: 'image',
      contentType: 'image/jpeg',
      width: 120,
      height: 80,
      cached: false,
    });
    expect(first.body.path).toMatch(/^gs:\/\/[^/]+\/users\/alice\/projects\/p1\/uploads\/[a-f0-9]{64}\.jpg$/);
    const record = await svc.ctx.docs.get<{ source: string; sourceUrl: string }>(
      COLLECTIONS.uploads,
      first.body.uploadId,
    );
    expect(record?.data).toMatchObject({ source: 'url', sourceUrl: originUrl('/image.png') });
    const second = await ingest(originUrl('/image.png')).expect(201);
    expect(second.body).toEqual({ ...first.body, cached: true });
  });

  it('follows up to 3 redirects, each checked', async () => {
    const res = await ingest(originUrl('/chain/3')).expect(201);
    expect(res.body.width).toBe(120);
  });

  it('connects to the address it checked, even when DNS answers differently a moment later', async () => {
    rebindLookups.count = 0;
    await ingest(`http://rebind.test:${origin.port}/image.png`).expect(201);
    expect(rebindLookups.count).toBe(1);
    expect(rebindTarget.hits).toEqual([]);
  });

  it('aborts a body that grows past the cap while streaming (413)', async () => {
    const res = await ingest(originUrl('/big')).expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bigStreamed.closedEarly).toBe(true);
    expect(bigStreamed.bytes).toBeLessThan(20 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the cap without reading the body (413)', async () => {
    await ingest(originUrl('/big-declared')).expect(413);
  });

  it('sniffs what arrived, whatever the server called it (415)', async () => {
    const res = await ingest(originUrl('/page.html')).expect(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('reports an error answer from the remote server (400) and a server that never answers (504)', async () => {
    const missing = await ingest(originUrl('/nope.png')).expect(400);
    expect(missing.body.error.details).toMatchObject({ reason: 'http_status', status: 404 });
    const started = Date.now();
    await ingest(originUrl('/slow')).expect(504);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('needs a signed-in owner of the project and a well-formed body', async () => {
    await request(svc.app)
      .post('/v1/ingest-url')
      .send({ projectId: 'p1', url: originUrl('/image.png') })
      .expect(401);
    await ingest(originUrl('/image.png'), 'mallory').expect(404);
    const bad = await request(svc.app).post('/v1/ingest-url').set(userHeaders('alice')).send({ url: '' }).expect(422);
    expect((bad.body.error.details.fields as { field: string }[]).map((f) => f.field).sort()).toEqual([
      'projectId',
      'url',
    ]);
  });
});

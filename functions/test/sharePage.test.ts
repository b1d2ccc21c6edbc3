import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PublishedMovie } from '../src/publicMovie.js';
import { renderSharePage, renderStatusPage } from '../src/sharePage.js';
import { parsePage } from './htmlTree.js';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const GCS = `https://storage.googleapis.com/storyreel-public/movies/${ID}/r1`;
const APP = 'https://storyreel.example';

const movie = (over: Partial<PublishedMovie> = {}): PublishedMovie => ({
  status: 'published',
  title: 'The Lighthouse Keeper',
  description: 'A keeper, a storm & one small boat.',
  language: 'en',
  videoUrl: `${GCS}/movie.mp4`,
  posterUrl: `${GCS}/poster.jpg`,
  image: { url: `${GCS}/og.jpg`, width: 1200, height: 630 },
  gifUrl: null,
  vttUrl: `${GCS}/captions.vtt`,
  width: 1280,
  height: 720,
  durationSeconds: 42.4,
  publishedAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
  ...over,
});

/** Every URL-bearing attribute of the page, with its element. */
function urlsOf(page: ReturnType<typeof parsePage>) {
  return page.elements.flatMap((el) =>
    el.attrs
      .filter((a) => ['href', 'src', 'poster', 'content', 'action', 'formaction', 'srcset'].includes(a.name))
      .map((a) => ({ tag: el.tagName, name: a.name, value: a.value })),
  );
}

function cspOf(csp: string) {
  return new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
}

describe('renderSharePage', () => {
  it('carries every link-preview tag, absolute, over https', () => {
    const { html } = renderSharePage({ publicId: ID, baseUrl: `${APP}/`, movie: movie() });
    const page = parsePage(html);
    const canonical = `${APP}/share/${ID}`;

    expect(Object.fromEntries(page.metas())).toEqual({
      viewport: 'width=device-width, initial-scale=1',
      referrer: 'strict-origin-when-cross-origin',
      description: 'A keeper, a storm & one small boat.',
      'og:site_name': 'storyreel',
      'og:type': 'video.other',
      'og:title': 'The Lighthouse Keeper',
      'og:description': 'A keeper, a storm & one small boat.',
      'og:url': canonical,
      'og:image': `${GCS}/og.jpg`,
      'og:image:secure_url': `${GCS}/og.jpg`,
      'og:image:type': 'image/jpeg',
      'og:image:width': '1200',
      'og:image:height': '630',
      'og:image:alt': 'The Lighthouse Keeper',
      'og:video': `${GCS}/movie.mp4`,
      'og:video:secure_url': `${GCS}/movie.mp4`,
      'og:video:type': 'video/mp4',
      'og:video:width': '1280',
      'og:video:height': '720',
      'video:duration': '42',
      'twitter:card': 'player',
      'twitter:title': 'The Lighthouse Keeper',
      'twitter:description': 'A keeper, a storm & one small boat.',
      'twitter:image': `${GCS}/og.jpg`,
      'twitter:image:alt': 'The Lighthouse Keeper',
      'twitter:player': `${canonical}?embed=1`,
      'twitter:player:width': '1280',
      'twitter:player:height': '720',
      'twitter:player:stream': `${GCS}/movie.mp4`,
      'twitter:player:stream:content_type': 'video/mp4',
    });
    expect(page.attr(page.one('html'), 'lang')).toBe('en');
    expect(page.text(page.one('title'))).toBe('The Lighthouse Keeper · storyreel');
    const canonicalLinks = page.all('link').filter((l) => page.attr(l, 'rel') === 'canonical');
    expect(canonicalLinks.map((l) => page.attr(l, 'href'))).toEqual([canonical]);
    for (const { name, value, tag } of urlsOf(page)) {
      if (tag === 'meta' && !/^https?:/.test(value)) continue; // plain-text metas
      expect(value, `${tag} ${name}`).toMatch(/^https:\/\//);
    }
  });

  it('plays the movie with its captions and links back to the app', () => {
    const { html } = renderSharePage({ publicId: ID, baseUrl: APP, movie: movie() });
    const page = parsePage(html);
    const video = page.one('video');
    expect(video.attrs.map((a) => a.name).sort()).toEqual(
      ['controls', 'crossorigin', 'height', 'playsinline', 'poster', 'preload', 'width'].sort(),
    );
    expect(page.attr(video, 'poster')).toBe(`${GCS}/poster.jpg`);
    // The captions live on storage.googleapis.com: a cross-origin track needs a CORS fetch.
    expect(page.attr(video, 'crossorigin')).toBe('anonymous');
    const source = page.one('source');
    expect([page.attr(source, 'src'), page.attr(source, 'type')]).toEqual([`${GCS}/movie.mp4`, 'video/mp4']);
    const track = page.one('track');
    expect(Object.fromEntries(track.attrs.map((a) => [a.name, a.value]))).toEqual({
      kind: 'captions',
      src: `${GCS}/captions.vtt`,
      srclang: 'en',
      label: 'Captions',
      default: '',
    });
    expect(page.all('a').map((a) => page.attr(a, 'href'))).toContain(`${APP}/`);
    expect(page.text(page.one('h1'))).toBe('The Lighthouse Keeper');
    expect(page.all('p').map((p) => page.text(p))).toContain('0:42 · made with storyreel');
    const beacon = page.one('img');
    expect(page.attr(beacon, 'src')).toBe(`${APP}/share/${ID}/view`);
  });

  it('sets a strict policy that lets in its own style and media, and no script', () => {
    const { html, csp } = renderSharePage({ publicId: ID, baseUrl: APP, movie: movie() });
    const page = parsePage(html);
    const header = cspOf(csp);
    expect(header.get('default-src')).toEqual(["'none'"]);
    expect(header.get('script-src')).toBeUndefined();
    expect(header.get('frame-ancestors')).toEqual(["'none'"]);
    expect(header.get('media-src')).toEqual(['https://storage.googleapis.com']);
    expect(header.get('img-src')?.sort()).toEqual(['https://storage.googleapis.com', APP].sort());
    const styleHash = `'sha256-${createHash('sha256')
      .update(page.text(page.one('style')))
      .digest('base64')}'`;
    expect(header.get('style-src')).toEqual([styleHash]);

    const metaPolicy = page.all('meta').find((m) => page.attr(m, 'http-equiv') === 'Content-Security-Policy');
    const meta = cspOf(page.attr(metaPolicy as never, 'content') ?? '');
    // frame-ancestors is ignored (and warned about) in a meta policy; the rest is the same.
    expect([...meta.keys()]).toEqual([...header.keys()].filter((k) => k !== 'frame-ancestors'));
    // The policy must come before the style it governs.
    expect(page.elements.indexOf(metaPolicy as never)).toBeLessThan(page.elements.indexOf(page.one('style')));
    expect(page.all('script')).toEqual([]);
  });

  it('offers no secure_url and no Twitter player over plain http', () => {
    const local = 'http://127.0.0.1:8080';
    const pub = `${local}/public/storyreel-public/movies/${ID}/r1`;
    const { html, csp } = renderSharePage({
      publicId: ID,
      baseUrl: local,
      movie: movie({
        videoUrl: `${pub}/movie.mp4`,
        posterUrl: `${pub}/poster.jpg`,
        image: { url: `${pub}/og.jpg`, width: 1200, height: 630 },
        vttUrl: `${pub}/captions.vtt`,
      }),
    });
    const page = parsePage(html);
    const metas = page.metas();
    expect(metas.get('og:video')).toBe(`${pub}/movie.mp4`);
    expect(metas.get('og:image')).toBe(`${pub}/og.jpg`);
    expect(metas.has('og:video:secure_url')).toBe(false);
    expect(metas.has('og:image:secure_url')).toBe(false);
    expect(metas.get('twitter:card')).toBe('summary_large_image');
    expect([...metas.keys()].filter((k) => k.startsWith('twitter:player'))).toEqual([]);
    // Same origin as the page: no CORS needed for the captions.
    expect(page.attr(page.one('video'), 'crossorigin')).toBeUndefined();
    expect(cspOf(csp).get('media-src')).toEqual([local]);
  });

  it('turns a hostile title, description and URLs inert', () => {
    const evil = '"><script>alert(1)</script>';
    const { html, csp } = renderSharePage({
      publicId: ID,
      baseUrl: APP,
      movie: movie({
        title: evil,
        description: `</p><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>`,
        language: 'en"><script>alert(4)</script>',
        videoUrl: 'javascript:alert(5)',
        posterUrl: ' JavaScript:alert(6)',
        image: { url: 'data:text/html,<script>alert(7)</script>', width: 1200, height: 630 },
        vttUrl: 'javascript://storage.googleapis.com/%0aalert(8)',
      }),
    });
    const page = parsePage(html);
    expect(page.all('script')).toEqual([]);
    expect(page.all('img')).toHaveLength(1); // the view beacon, nothing injected
    for (const el of page.elements) {
      for (const a of el.attrs) {
        expect(a.name, `<${el.tagName}> attribute`).not.toMatch(/^on/i);
      }
    }
    for (const { tag, name, value } of urlsOf(page)) {
      expect(value.trim(), `${tag} ${name}`).not.toMatch(/^(javascript|data|vbscript):/i);
    }
    // Escaped, the text reads back as the very string that was stored.
    expect(page.text(page.one('h1'))).toBe(evil);
    expect(page.metas().get('og:title')).toBe(evil);
    expect(page.text(page.one('title'))).toBe(`${evil} · storyreel`);
    expect(page.attr(page.one('html'), 'lang')).toBe('en');
    // A movie without a playable URL has no player, no og:video and no media sources.
    expect(page.all('video')).toEqual([]);
    expect([...page.metas().keys()].filter((k) => k.startsWith('og:video') || k.startsWith('og:image'))).toEqual([]);
    expect(page.metas().get('twitter:card')).toBe('summary');
    expect(cspOf(csp).get('media-src')).toEqual(["'none'"]);
  });

  it('falls back to a plain summary card for a movie without poster or image', () => {
    const { html } = renderSharePage({
      publicId: ID,
      baseUrl: 'http://127.0.0.1:8080',
      movie: movie({ videoUrl: 'http://127.0.0.1:8080/public/b/m.mp4', posterUrl: null, image: null, vttUrl: null }),
    });
    const page = parsePage(html);
    expect(page.metas().get('twitter:card')).toBe('summary');
    expect([...page.metas().keys()].filter((k) => k.startsWith('og:image') || k === 'twitter:image')).toEqual([]);
    expect(page.attr(page.one('video'), 'poster')).toBeUndefined();
    expect(page.all('track')).toEqual([]);
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => renderSharePage({ publicId: ID, baseUrl: 'javascript:alert(1)', movie: movie() })).toThrow(
      /PUBLIC_BASE_URL/,
    );
  });

  it('renders just the player for the embed, framable anywhere', () => {
    const { html, csp } = renderSharePage({ publicId: ID, baseUrl: APP, movie: movie(), embed: true });
    const page = parsePage(html);
    expect(page.attr(page.one('body'), 'class')).toBe('embed');
    expect(page.attr(page.one('source'), 'src')).toBe(`${GCS}/movie.mp4`);
    expect(page.all('track')).toHaveLength(1);
    expect([...page.metas().keys()].filter((k) => k.includes(':'))).toEqual([]);
    expect(page.all('h1')).toEqual([]);
    expect(cspOf(csp).get('frame-ancestors')).toEqual(['*']);
  });
});

describe('renderStatusPage', () => {
  it.each([
    [404, 'Movie not found'],
    [410, 'This movie was taken down'],
    [500, 'Something went wrong'],
  ] as const)('%i says so, links home and is not indexed', (status, heading) => {
    const { html, csp } = renderStatusPage(status, APP);
    const page = parsePage(html);
    expect(page.text(page.one('h1'))).toBe(heading);
    expect(page.metas().get('robots')).toBe('noindex');
    expect(page.all('a').map((a) => page.attr(a, 'href'))).toEqual([`${APP}/`]);
    expect(cspOf(csp).get('default-src')).toEqual(["'none'"]);
    expect(page.all('script')).toEqual([]);
  });
});

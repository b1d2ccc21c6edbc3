import { createHash } from 'node:crypto';
import { escapeHtml } from './htmlEscape.js';
import { httpUrl, isHttps } from './httpUrl.js';
import type { PublishedMovie } from './publicMovie.js';

export const SITE_NAME = 'storyreel';

export interface RenderedPage {
  html: string;
  /**
   * The Content-Security-Policy header. The page carries the same policy in a
   * meta tag too, minus frame-ancestors, which only a header can set.
   */
  csp: string;
}

export interface SharePageInput {
  publicId: string;
  /** The app's public origin (PUBLIC_BASE_URL): canonical, player and beacon URLs are built on it. */
  baseUrl: string;
  movie: PublishedMovie;
  /** Just the player, for the iframe of twitter:player. */
  embed?: boolean;
}

export type StatusPage = 404 | 410 | 500;

// One stylesheet for every page, so one hash lets it through the policy and nothing else can.
const STYLE = [
  ':root{color-scheme:dark;font-family:system-ui,sans-serif;background:#111;color:#eee}',
  'body{margin:0}',
  'main{max-width:960px;margin:0 auto;padding:16px}',
  'video{display:block;width:100%;height:auto;max-height:80vh;background:#000}',
  'h1{font-size:1.5rem;margin:16px 0 4px}',
  '.meta{color:#aaa;margin:0 0 12px}',
  'a{color:#8ab4ff}',
  '.beacon{position:absolute;width:1px;height:1px;opacity:0}',
  'body.embed,body.embed main{margin:0;padding:0;max-width:none;height:100vh;background:#000}',
  'body.embed video{width:100%;height:100%;max-height:none}',
].join('');
const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

const attr = (value: string | number) => escapeHtml(String(value));
const metaTag = (kind: 'property' | 'name', key: string, value: string | number) =>
  `<meta ${kind}="${key}" content="${attr(value)}">`;

/** `https://app.example` from PUBLIC_BASE_URL, without a trailing slash. */
export function appBase(baseUrl: string): string {
  const url = httpUrl(baseUrl);
  if (!url) throw new Error('PUBLIC_BASE_URL must be an absolute http(s) URL');
  return url.replace(/\/+$/, '');
}

export function shareUrl(baseUrl: string, publicId: string): string {
  return `${appBase(baseUrl)}/share/${encodeURIComponent(publicId)}`;
}

const originOf = (url: string) => new URL(url).origin;

function policy(sources: { img: string[]; media: string[] }, frameAncestors: string): { header: string; meta: string } {
  const list = (urls: string[]) => (urls.length ? [...new Set(urls.map(originOf))].join(' ') : "'none'");
  const directives = [
    "default-src 'none'",
    `img-src ${list(sources.img)}`,
    `media-src ${list(sources.media)}`,
    `style-src ${STYLE_SOURCE}`,
    "base-uri 'none'",
    "form-action 'none'",
  ];
  return { header: [...directives, `frame-ancestors ${frameAncestors}`].join('; '), meta: directives.join('; ') };
}

function htmlDocument(input: {
  lang: string;
  head: string[];
  bodyClass?: string;
  body: string[];
  csp: string;
}): string {
  return [
    '<!doctype html>',
    `<html lang="${attr(input.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    metaTag('name', 'referrer', 'strict-origin-when-cross-origin'),
    `<meta http-equiv="Content-Security-Policy" content="${attr(input.csp)}">`,
    ...input.head,
    `<style>${STYLE}</style>`,
    '</head>',
    input.bodyClass ? `<body class="${input.bodyClass}">` : '<body>',
    ...input.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

function duration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function imageType(url: string): string | null {
  const path = new URL(url).pathname.toLowerCase();
  if (path.endsWith('.jpg') || path.endsWith('.jpeg')) return 'image/jpeg';
  if (path.endsWith('.png')) return 'image/png';
  if (path.endsWith('.webp')) return 'image/webp';
  return null;
}

/**
 * The share page of a published movie: link-preview tags (Open Graph,
 * Twitter), a player with the captions track, and a link back to the app.
 * Every stored string is escaped and every stored URL must be absolute
 * http(s) or it is left out; a Twitter player card is only offered over
 * https, as Twitter requires, else a (large-image) summary.
 */
export function renderSharePage(input: SharePageInput): RenderedPage {
  const { movie, publicId } = input;
  const app = appBase(input.baseUrl);
  const canonical = shareUrl(app, publicId);
  const playerUrl = `${canonical}?embed=1`;
  const beacon = `${canonical}/view`;
  const video = httpUrl(movie.videoUrl);
  const poster = httpUrl(movie.posterUrl);
  const imageUrl = httpUrl(movie.image?.url);
  const image = movie.image && imageUrl ? { ...movie.image, url: imageUrl } : null;
  const vtt = httpUrl(movie.vttUrl);
  const lang = BCP47.test(movie.language) ? movie.language : 'en';
  const title = movie.title.trim() || 'A storyreel movie';
  const description = movie.description.trim();

  const media = [video, vtt].filter((u): u is string => u !== null);
  const images = [poster, beacon].filter((u): u is string => u !== null);
  const csp = policy({ img: images, media }, input.embed ? '*' : "'none'");

  // A captions file on another origin (GCS) is fetched with CORS, which the whole video element must then use.
  const crossOrigin = vtt !== null && originOf(vtt) !== originOf(canonical);
  const playerTags = video
    ? [
        `<video controls playsinline preload="metadata" width="${movie.width}" height="${movie.height}"` +
          `${poster ? ` poster="${attr(poster)}"` : ''}${crossOrigin ? ' crossorigin="anonymous"' : ''}>`,
        `<source src="${attr(video)}" type="video/mp4">`,
        ...(vtt ? [`<track kind="captions" src="${attr(vtt)}" srclang="${attr(lang)}" label="Captions" default>`] : []),
        '</video>',
      ]
    : ['<p>This movie cannot be played here.</p>'];
  const beaconTag = `<img class="beacon" src="${attr(beacon)}" alt="" width="1" height="1">`;

  if (input.embed) {
    return {
      csp: csp.header,
      html: htmlDocument({
        lang,
        csp: csp.meta,
        head: [`<title>${escapeHtml(title)}</title>`, `<link rel="canonical" href="${attr(canonical)}">`],
        bodyClass: 'embed',
        body: ['<main>', ...playerTags, beaconTag, '</main>'],
      }),
    };
  }

  const twitterPlayer = video !== null && isHttps(playerUrl) && isHttps(video);
  const head = [
    `<title>${escapeHtml(title)} · ${SITE_NAME}</title>`,
    ...(description ? [metaTag('name', 'description', description)] : []),
    `<link rel="canonical" href="${attr(canonical)}">`,
    metaTag('property', 'og:site_name', SITE_NAME),
    metaTag('property', 'og:type', 'video.other'),
    metaTag('property', 'og:title', title),
    ...(description ? [metaTag('property', 'og:description', description)] : []),
    metaTag('property', 'og:url', canonical),
    ...(image
      ? [
          metaTag('property', 'og:image', image.url),
          ...(isHttps(image.url) ? [metaTag('property', 'og:image:secure_url', image.url)] : []),
          ...(imageType(image.url) ? [metaTag('property', 'og:image:type', imageType(image.url) as string)] : []),
          metaTag('property', 'og:image:width', image.width),
          metaTag('property', 'og:image:height', image.height),
          metaTag('property', 'og:image:alt', title),
        ]
      : []),
    ...(video
      ? [
          metaTag('property', 'og:video', video),
          ...(isHttps(video) ? [metaTag('property', 'og:video:secure_url', video)] : []),
          metaTag('property', 'og:video:type', 'video/mp4'),
          metaTag('property', 'og:video:width', movie.width),
          metaTag('property', 'og:video:height', movie.height),
          metaTag('property', 'video:duration', Math.round(movie.durationSeconds)),
        ]
      : []),
    metaTag('name', 'twitter:card', twitterPlayer ? 'player' : image ? 'summary_large_image' : 'summary'),
    metaTag('name', 'twitter:title', title),
    ...(description ? [metaTag('name', 'twitter:description', description)] : []),
    ...(image ? [metaTag('name', 'twitter:image', image.url), metaTag('name', 'twitter:image:alt', title)] : []),
    ...(twitterPlayer
      ? [
          metaTag('name', 'twitter:player', playerUrl),
          metaTag('name', 'twitter:player:width', movie.width),
          metaTag('name', 'twitter:player:height', movie.height),
          metaTag('name', 'twitter:player:stream', video as string),
          metaTag('name', 'twitter:player:stream:content_type', 'video/mp4'),
        ]
      : []),
  ];
  const body = [
    '<main>',
    ...playerTags,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${duration(movie.durationSeconds)} · made with ${SITE_NAME}</p>`,
    ...(description ? [`<p>${escapeHtml(description)}</p>`] : []),
    `<p><a href="${attr(`${app}/`)}">Make your own movie with ${SITE_NAME}</a></p>`,
    beaconTag,
    '</main>',
  ];
  return { csp: csp.header, html: htmlDocument({ lang, csp: csp.meta, head, body }) };
}

const STATUS_TEXT: Record<StatusPage, { title: string; message: string }> = {
  404: { title: 'Movie not found', message: 'There is no movie at this link. Check that it was copied whole.' },
  410: { title: 'This movie was taken down', message: 'Whoever published it has unpublished it.' },
  500: { title: 'Something went wrong', message: 'The movie could not be shown just now. Try again in a minute.' },
};

/** The page of a share link with no movie behind it (404, 410) or that failed (500). */
export function renderStatusPage(status: StatusPage, baseUrl: string): RenderedPage {
  const { title, message } = STATUS_TEXT[status];
  const csp = policy({ img: [], media: [] }, "'none'");
  return {
    csp: csp.header,
    html: htmlDocument({
      lang: 'en',
      csp: csp.meta,
      head: [`<title>${title} · ${SITE_NAME}</title>`, metaTag('name', 'robots', 'noindex')],
      body: [
        '<main>',
        `<h1>${title}</h1>`,
        `<p>${message}</p>`,
        `<p><a href="${attr(`${appBase(baseUrl)}/`)}">Make your own movie with ${SITE_NAME}</a></p>`,
        '</main>',
      ],
    }),
  };
}

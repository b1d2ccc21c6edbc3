import { createLogger, type DocStore, type Logger, recordJobOutcome } from '@storyreel/shared';
import express, { type Response } from 'express';
import { PUBLIC_ID, PUBLIC_MOVIES, PublicMovieSchema, type PublishedMovie } from './publicMovie.js';
import { appBase, type RenderedPage, renderSharePage, renderStatusPage, type StatusPage } from './sharePage.js';
import { countView } from './viewCounter.js';

/** What the handler reads of the config: the gateway passes its whole Env, the function its own. */
export interface ShareEnv {
  PUBLIC_BASE_URL: string;
  /** Proxies whose X-Forwarded-For entries are believed when telling viewers apart. */
  TRUSTED_PROXY_HOPS: number;
}

export interface ShareHandlerOptions {
  logger?: Logger;
  /** The clock of the view windows (tests move it). */
  now?: () => Date;
}

// Short in browsers, longer at the CDN: an edit or unpublish shows within five minutes.
const CACHE_CONTROL: Record<200 | StatusPage, string> = {
  200: 'public, max-age=60, s-maxage=300',
  404: 'public, max-age=60, s-maxage=60',
  410: 'public, max-age=300, s-maxage=300',
  500: 'no-store',
};

/** A transparent 1x1 GIF: the view beacon's answer, so the page's <img> loads without an error. */
const BEACON_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

type Lookup = { kind: 'missing' } | { kind: 'removed' } | { kind: 'published'; movie: PublishedMovie };

async function lookUp(docs: DocStore, publicId: string): Promise<Lookup> {
  // Ids that cannot be ours never reach the store.
  if (!PUBLIC_ID.test(publicId)) return { kind: 'missing' };
  const doc = await docs.get(PUBLIC_MOVIES, publicId);
  if (!doc) return { kind: 'missing' };
  const parsed = PublicMovieSchema.safeParse(doc.data);
  if (!parsed.success)
    throw new Error(`public_movies/${publicId} does not hold a public movie: ${parsed.error.message}`);
  return parsed.data.status === 'removed' ? { kind: 'removed' } : { kind: 'published', movie: parsed.data };
}

/**
 * The share pages as an express app answering only under /share:
 * `GET|HEAD /share/:id` (the page; `?embed=1` just the player) and
 * `GET /share/:id/view` (the view beacon the page loads). The same app runs
 * in the Firebase function and in the local gateway (mounted at the root).
 *
 * Views are counted by the beacon, not by the page request: pages are cached
 * by the CDN (s-maxage), so most page views never reach this code, while
 * link-preview bots fetch the page but not its images. The beacon's own
 * request never delays the page.
 */
export function createShareHandler(env: ShareEnv, docs: DocStore, options: ShareHandlerOptions = {}): express.Express {
  const logger = options.logger ?? createLogger('share', 'info');
  const now = options.now ?? (() => new Date());
  const baseUrl = appBase(env.PUBLIC_BASE_URL);

  const send = (res: Response, status: 200 | StatusPage, page: RenderedPage) => {
    res.status(status).set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': CACHE_CONTROL[status],
      'Content-Security-Policy': page.csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
    });
    res.send(page.html);
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', env.TRUSTED_PROXY_HOPS);
  app.set('query parser', 'simple');

  app.get('/share/:id', async (req, res) => {
    const started = performance.now();
    // After the answer is out, so the share-page SLI costs the viewer nothing.
    res.on('finish', () => {
      recordJobOutcome(docs, {
        kind: 'share_page',
        ok: res.statusCode < 500,
        durationMs: performance.now() - started,
      }).catch((err: unknown) => logger.warn({ err }, 'could not record the share page outcome'));
    });
    const publicId = req.params.id;
    try {
      const found = await lookUp(docs, publicId);
      if (found.kind === 'missing') return send(res, 404, renderStatusPage(404, baseUrl));
      if (found.kind === 'removed') return send(res, 410, renderStatusPage(410, baseUrl));
      const embed = req.query.embed === '1';
      send(res, 200, renderSharePage({ publicId, baseUrl, movie: found.movie, embed }));
    } catch (err) {
      logger.error({ err, publicId }, 'the share page failed');
      send(res, 500, renderStatusPage(500, baseUrl));
    }
  });

  app.get('/share/:id/view', async (req, res) => {
    // HEAD (a link checker) is no view.
    if (req.method === 'GET') {
      try {
        const found = await lookUp(docs, req.params.id);
        if (found.kind === 'published') {
          await countView(docs, { publicId: req.params.id, ip: req.ip ?? 'unknown', now: now() });
        }
      } catch (err) {
        // A lost view must not show the viewer an error.
        logger.warn({ err, publicId: req.params.id }, 'could not count a share page view');
      }
    }
    res.status(200).set({ 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' }).send(BEACON_GIF);
  });

  app.all(['/share', '/share/{*rest}'], (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      send(res, 404, renderStatusPage(404, baseUrl));
      return;
    }
    res.status(405).set('Allow', 'GET, HEAD').type('text/plain').send('method not allowed');
  });

  return app;
}

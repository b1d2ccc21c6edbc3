import { pipeline } from 'node:stream/promises';
import type { Env } from '@storyreel/config';
import type { Request, RequestHandler, Response } from 'express';
import { AppError, badRequest, isAppError, notFound } from '../errors.js';
import { requestContextMiddleware } from '../http/requestContext.js';
import { verifySignedBlobUrl } from './blobUrlSignature.js';
import { parseGsPath } from './gsPath.js';
import type { BlobStore } from './port.js';

const ROUTE = /^\/(blobs|public)\/([^/]+)\/(.+)$/;

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; several ranges are answered whole, as RFC 9110 allows. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'whole' | 'unsatisfiable' {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return 'whole';
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function decodeKey(raw: string): string {
  try {
    return raw.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw badRequest('the object key is not valid URL encoding');
  }
}

function sendError(req: Request, res: Response, err: unknown): void {
  const error = isAppError(err) ? err : new AppError('internal', 'could not read the object');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(error.status).json(error.toBody(req.context?.requestId));
}

/**
 * Serves the local blob store the way GCS serves the real one:
 * `GET /blobs/<bucket>/<key>?expires=&sig=` for signed URLs (403 when the
 * signature is bad or expired) and `GET /public/<bucket>/<key>` for the public
 * bucket only. Range requests get 206. Mount it at the app's root (it also
 * works mounted at `/blobs` or `/public`); other paths fall through.
 */
export function serveLocalBlobs(store: BlobStore, env: Env): RequestHandler {
  const buckets = [env.MEDIA_BUCKET, env.PUBLIC_BUCKET];
  return (req, res, next) => {
    const route = ROUTE.exec(req.baseUrl + req.path);
    if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    const [, kind, bucket = '', rawKey = ''] = route;
    // Stored bytes are served as the type they were stored with, never as whatever a browser guesses.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const handle = () => {
      serve(kind === 'public', bucket, rawKey).catch((err: unknown) => sendError(req, res, err));
    };
    // Errors carry a request id like every other answer, also where no service set one (the local gateway).
    if (req.context) handle();
    else requestContextMiddleware(req, res, handle);

    async function serve(isPublic: boolean, bucketName: string, encodedKey: string): Promise<void> {
      const path = `gs://${bucketName}/${decodeKey(encodedKey)}`;
      const { bucket: b, key } = parseGsPath(path, buckets);
      let cacheControl = 'public, max-age=3600';
      if (isPublic) {
        // Unknown to the public route, like a private object on a public GCS URL.
        if (b !== env.PUBLIC_BUCKET) throw notFound('object');
      } else {
        if (!env.URL_SIGNING_SECRET) throw new AppError('unavailable', 'signed URLs are not configured');
        verifySignedBlobUrl({ bucket: b, key, expires: req.query.expires, sig: req.query.sig }, env.URL_SIGNING_SECRET);
        const left = Number(req.query.expires) - Math.floor(Date.now() / 1000);
        cacheControl = `private, max-age=${Math.max(0, Math.min(left, 3600))}`;
      }
      const info = await store.stat(path);
      if (!info) throw notFound('object');

      const range = parseRange(req.get('range'), info.size);
      if (range === 'unsatisfiable') {
        res.setHeader('Content-Range', `bytes */${info.size}`);
        throw new AppError('invalid_argument', 'the requested range is outside the object', { size: info.size }, 416);
      }
      res.setHeader('Content-Type', info.contentType);
      res.setHeader('Accept-Ranges', 'bytes');
      res.setHeader('Cache-Control', cacheControl);
      res.setHeader('Last-Modified', new Date(info.updated).toUTCString());
      if (range === 'whole') {
        res.status(200).setHeader('Content-Length', String(info.size));
      } else {
        res.status(206);
        res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
        res.setHeader('Content-Length', String(range.end - range.start + 1));
      }
      if (req.method === 'HEAD' || info.size === 0) {
        res.end();
        return;
      }
      await pipeline(store.createReadStream(path, range === 'whole' ? undefined : range), res);
    }
  };
}

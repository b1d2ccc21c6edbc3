import type { NextFunction, Request, Response } from 'express';
import { AppError, badRequest, isAppError } from '../errors.js';

/** Maps errors thrown by express's own middleware (body-parser) onto our codes. */
function fromHttpError(err: unknown): AppError | undefined {
  const e = err as { type?: string; status?: number; limit?: number; message?: string };
  if (e?.type === 'entity.too.large') {
    return new AppError('payload_too_large', `request body is larger than the limit of ${e.limit} bytes`);
  }
  if (e?.type === 'entity.parse.failed') return badRequest('request body is not valid JSON');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', e.message ?? 'unsupported encoding');
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return badRequest(e.message ?? 'bad request');
  }
  return undefined;
}

/** The one error handler: every failure leaves as `{ error: { code, message, details?, requestId } }`. */
export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const appError = isAppError(err) ? err : fromHttpError(err);
  const error = appError ?? new AppError('internal', 'something went wrong on our side; try again');
  const log = req.log;
  if (error.status >= 500) log?.error({ err, code: error.code }, error.message);
  else log?.info({ code: error.code, status: error.status }, error.message);
  if (res.headersSent) {
    res.end();
    return;
  }
  if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
  res.status(error.status).json(error.toBody(req.context?.requestId));
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(new AppError('not_found', `no route for ${req.method} ${req.path}`));
}

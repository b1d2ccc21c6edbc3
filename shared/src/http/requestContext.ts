import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** What follows a request across service hops: its id and its W3C trace. */
export interface RequestContext {
  requestId: string;
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const CLOUD_TRACE = /^([0-9a-f]{32})\/(\d+)(?:;o=([01]))?$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Reads `traceparent` (W3C) or Cloud Run's `X-Cloud-Trace-Context`; starts a new trace otherwise. */
export function traceFromHeaders(headers: Request['headers']): Omit<RequestContext, 'requestId'> {
  const parent = TRACEPARENT.exec(String(headers.traceparent ?? ''));
  if (parent?.[1] && parent[2]) {
    return { traceId: parent[1], spanId: randomBytes(8).toString('hex'), sampled: parent[3] === '01' };
  }
  const cloud = CLOUD_TRACE.exec(String(headers['x-cloud-trace-context'] ?? ''));
  if (cloud?.[1]) {
    return { traceId: cloud[1], spanId: randomBytes(8).toString('hex'), sampled: cloud[3] === '1' };
  }
  return { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), sampled: false };
}

/** Headers that carry the current request's id and trace to a downstream call. */
export function propagationHeaders(ctx = currentRequestContext()): Record<string, string> {
  if (!ctx) return {};
  return {
    'x-request-id': ctx.requestId,
    traceparent: `00-${ctx.traceId}-${ctx.spanId}-${ctx.sampled ? '01' : '00'}`,
  };
}

export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = String(req.headers['x-request-id'] ?? '');
  const ctx: RequestContext = {
    requestId: REQUEST_ID.test(given) ? given : randomUUID(),
    ...traceFromHeaders(req.headers),
  };
  res.setHeader('x-request-id', ctx.requestId);
  req.context = ctx;
  storage.run(ctx, next);
}

import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { AuthLevel, Caller } from '../auth/caller.js';
import type { Logger } from './logger.js';

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface HandlerInput<B, P, Q> {
  body: Infer<B>;
  params: P extends z.ZodType ? z.infer<P> : Record<string, string>;
  query: Infer<Q>;
  caller: Caller;
  req: Request;
  res: Response;
  log: Logger;
}

export interface RouteDefinition<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path syntax (`/v1/projects/:id`). */
  path: string;
  summary: string;
  auth: AuthLevel;
  /** App Check applies to browser-facing routes; mesh calls are exempt. Default true. */
  appCheck?: boolean;
  body?: B;
  params?: P;
  query?: Q;
  response?: z.ZodType;
  status?: number;
  /** Honour Idempotency-Key: a repeat returns the first result; another body with the key is a 409. */
  idempotent?: boolean;
  /** Per-IP limit for anonymous callers of this route (requests per 15 minutes). */
  ipLimit?: number;
  /** Request body limit when it differs from the service default (e.g. '10mb'). */
  bodyLimit?: string;
  /** The value returned is sent as JSON with `status`, unless the handler sent a response itself. */
  handler: (input: HandlerInput<B, P, Q>) => Promise<unknown> | unknown;
}

/** Identity function that keeps each route's body/params/query types inferred from its schemas. */
export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(route: RouteDefinition<B, P, Q>): RouteDefinition {
  return route as unknown as RouteDefinition;
}

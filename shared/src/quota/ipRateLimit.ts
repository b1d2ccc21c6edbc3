import type { Request, Response } from 'express';
import { contentHash } from '../contentHash.js';
import { COLLECTIONS, type DocStore } from '../docs/port.js';
import { rateLimited } from '../errors.js';
import type { RouteDefinition } from '../http/route.js';

export const IP_WINDOW_MS = 15 * 60_000;
/** The usual `ipLimit` of an anonymous route: enough for a person, too few for a script. */
export const DEFAULT_IP_LIMIT = 10;

interface WindowCounter {
  windowStart: number;
  count: number;
  /** For a Firestore TTL policy: the counter is useless once its window ended. */
  expiresAt: string;
}

export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: Date;
}

/**
 * Counts one request against a fixed 15-minute window. The counter lives in
 * the DocStore and is bumped in a transaction, so every instance of a service
 * shares it. Only a hash of the ip is stored.
 */
export async function consumeIpBudget(
  docs: DocStore,
  input: { scope: string; ip: string; limit: number; now?: Date },
): Promise<RateLimitVerdict> {
  const now = (input.now ?? new Date()).getTime();
  const windowStart = Math.floor(now / IP_WINDOW_MS) * IP_WINDOW_MS;
  const resetAt = new Date(windowStart + IP_WINDOW_MS);
  const id = contentHash({ scope: input.scope, ip: input.ip }, 32);
  return docs.transaction(async (tx) => {
    const doc = await tx.get<WindowCounter>(COLLECTIONS.rateLimits, id);
    const used = doc?.data.windowStart === windowStart ? doc.data.count : 0;
    if (used >= input.limit) return { allowed: false, limit: input.limit, remaining: 0, resetAt };
    tx.set<WindowCounter>(COLLECTIONS.rateLimits, id, {
      windowStart,
      count: used + 1,
      expiresAt: resetAt.toISOString(),
    });
    return { allowed: true, limit: input.limit, remaining: input.limit - used - 1, resetAt };
  });
}

/** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), reset in seconds. */
export function setRateLimitHeaders(res: Response, verdict: RateLimitVerdict, now = Date.now()): number {
  const resetSeconds = Math.max(1, Math.ceil((verdict.resetAt.getTime() - now) / 1000));
  res.setHeader('RateLimit-Limit', String(verdict.limit));
  res.setHeader('RateLimit-Remaining', String(verdict.remaining));
  res.setHeader('RateLimit-Reset', String(resetSeconds));
  return resetSeconds;
}

/** The route-stack step: limits anonymous callers of routes that set `ipLimit`. */
export function ipRateLimiter(docs: DocStore, enabled: boolean) {
  return async (req: Request, res: Response, route: Pick<RouteDefinition, 'method' | 'path' | 'ipLimit'>) => {
    if (!enabled || route.ipLimit === undefined || req.caller?.kind !== 'anonymous') return;
    const verdict = await consumeIpBudget(docs, {
      scope: `${route.method} ${route.path}`,
      ip: req.caller.ip,
      limit: route.ipLimit,
    });
    const resetSeconds = setRateLimitHeaders(res, verdict);
    if (!verdict.allowed) {
      throw rateLimited(`too many requests from your network; try again in ${resetSeconds} s`, resetSeconds, {
        limit: verdict.limit,
        windowSeconds: IP_WINDOW_MS / 1000,
      });
    }
  };
}

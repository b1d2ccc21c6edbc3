import type { Request, Response } from 'express';
import type { Caller } from '../auth/caller.js';
import { contentHash } from '../contentHash.js';
import type { DocStore } from '../docs/port.js';
import { badRequest } from '../errors.js';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from './idempotencyStore.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

const VALID_KEY = /^[\x20-\x7e]{1,200}$/;

/** Keys are per caller: two users (or services) choosing the same key never see each other's answers. */
function callerIdentity(caller: Caller | undefined): string {
  if (!caller) return 'unknown';
  if (caller.kind === 'user') return `user:${caller.uid}${caller.via ? `@${caller.via}` : ''}`;
  if (caller.kind === 'service') return `service:${caller.service}`;
  return `ip:${caller.ip}`;
}

const isSuccess = (status: number) => status >= 200 && status < 300;

interface OpenClaim {
  id: string;
  version: number;
  docs: DocStore;
  settled: boolean;
}

/** Requests that claimed a key and have not answered yet. */
const openClaims = new WeakMap<Response, OpenClaim>();

/**
 * The route-stack step for `idempotent: true` routes. Without the header the
 * request runs as usual. With it, the first request claims the key and a
 * repeat replays the stored answer (`Idempotent-Replayed: true`).
 */
export function idempotencyGate(docs: DocStore, service: string) {
  return async (req: Request, res: Response): Promise<void> => {
    const key = req.header(IDEMPOTENCY_HEADER);
    if (key === undefined) return;
    if (!VALID_KEY.test(key)) throw badRequest('Idempotency-Key must be 1 to 200 printable ASCII characters');
    const id = contentHash({ service, caller: callerIdentity(req.caller), key }, 40);
    const fingerprint = contentHash({ method: req.method, path: req.path, body: req.body ?? null });
    const claim = await claimIdempotencyKey(docs, id, fingerprint);
    if (claim.kind === 'replay') {
      res.setHeader(REPLAYED_HEADER, 'true');
      if (claim.body === undefined) res.status(claim.status).end();
      else res.status(claim.status).json(claim.body);
      return;
    }
    const open: OpenClaim = { id, version: claim.version, docs, settled: false };
    openClaims.set(res, open);
    // Errors and answers the handler streamed itself cannot be replayed: give the key back.
    res.once('finish', () => {
      if (open.settled) return;
      open.settled = true;
      releaseIdempotencyKey(docs, id, claim.version).catch((err: unknown) => {
        req.log.error({ err }, 'could not release an idempotency key; it stays pending until its lease ends');
      });
    });
  };
}

/**
 * Called with a handler's answer just before it is sent: a 2xx is stored for
 * replays first, so a repeat that arrives right after the answer is a replay,
 * never "in progress".
 */
export async function recordIdempotentAnswer(
  req: Request,
  res: Response,
  status: number,
  body: unknown,
): Promise<void> {
  const open = openClaims.get(res);
  if (!open || open.settled) return;
  open.settled = true;
  try {
    if (isSuccess(status)) await completeIdempotencyKey(open.docs, open.id, open.version, { status, body });
    else await releaseIdempotencyKey(open.docs, open.id, open.version);
  } catch (err) {
    req.log.error({ err }, 'could not record the idempotent answer; the key stays pending until its lease ends');
  }
}

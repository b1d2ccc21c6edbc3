import { type ServiceName, serviceEntry, serviceUrl } from '@storyreel/config';
import { ON_BEHALF_HEADER, ON_BEHALF_PLAN_HEADER } from '../auth/authenticate.js';
import type { UserCaller } from '../auth/caller.js';
import { MESH_HEADER } from '../auth/meshToken.js';
import { AppError, ERROR_STATUS, type ErrorCode, isAppError, unavailable } from '../errors.js';
import type { ServiceContext } from '../http/createService.js';
import { propagationHeaders } from '../http/requestContext.js';
import { breakerFor } from './circuitBreakers.js';
import {
  callWithRetries,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  RETRYABLE_STATUSES,
  type RetryPolicy,
} from './retryPolicy.js';

export interface CallOptions {
  /** Sent as Idempotency-Key on every attempt, so a retried write runs once downstream. */
  idempotencyKey?: string;
  /** Acts for this user: the downstream sees the user (and plan), `via` this service. */
  onBehalfOf?: UserCaller;
  /** Per attempt; defaults to the target's Cloud Run request timeout. */
  timeoutMs?: number;
  /** Cancels the call, its retries and its waits. */
  signal?: AbortSignal;
}

export interface ServiceClient {
  readonly target: ServiceName;
  readonly baseUrl: string;
  get<T = unknown>(path: string, options?: CallOptions): Promise<T>;
  delete<T = unknown>(path: string, options?: CallOptions): Promise<T>;
  post<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<T>;
  put<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<T>;
  patch<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<T>;
}

/** Mesh tokens live 300 s; a fresh one well before that keeps clock skew harmless. */
const TOKEN_REUSE_MS = 240_000;

/** The request never got an HTTP answer. */
class TransportFailure extends Error {
  constructor(
    readonly kind: 'network' | 'timeout',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const codeForStatus = (status: number): ErrorCode =>
  (Object.entries(ERROR_STATUS).find(([, s]) => s === status)?.[0] as ErrorCode | undefined) ??
  (status >= 500 ? 'unavailable' : 'invalid_argument');

/** The downstream's own error, kept as it was: code, message, details and status. */
async function downstreamError(target: string, res: Response): Promise<AppError> {
  const text = await res.text().catch(() => '');
  let error: { code?: unknown; message?: unknown; details?: unknown } | undefined;
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error;
  } catch {
    error = undefined;
  }
  const code =
    typeof error?.code === 'string' && error.code in ERROR_STATUS
      ? (error.code as ErrorCode)
      : codeForStatus(res.status);
  const message = typeof error?.message === 'string' ? error.message : `${target} answered HTTP ${res.status}`;
  return new AppError(code, message, error?.details, res.status, parseRetryAfter(res.headers.get('retry-after')));
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  return (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
}

const isRetryable = (err: unknown) =>
  err instanceof TransportFailure || (isAppError(err) && RETRYABLE_STATUSES.has(err.status));

/**
 * Calls another mesh service: signed mesh token, on-behalf-of and trace
 * headers, a timeout per attempt, retries on transient failures only (never
 * on a 4xx other than 408/429) and a circuit breaker per downstream that
 * fails fast while it is down.
 */
export function createServiceClient(
  ctx: Pick<ServiceContext, 'name' | 'env' | 'auth' | 'logger'>,
  target: ServiceName,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): ServiceClient {
  const baseUrl = serviceUrl(ctx.env, target).replace(/\/+$/, '');
  const defaultTimeoutMs = serviceEntry(target).resources.timeoutSeconds * 1000;
  const breaker = breakerFor(target, baseUrl);
  let token: { value: string; until: number } | undefined;

  const meshToken = async () => {
    if (!token || token.until < Date.now()) {
      token = { value: await ctx.auth.mesh.issue(ctx.name, baseUrl), until: Date.now() + TOKEN_REUSE_MS };
    }
    return token.value;
  };

  const attempt = async (method: string, path: string, body: unknown, options: CallOptions): Promise<unknown> => {
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...propagationHeaders(),
      [MESH_HEADER]: `Bearer ${await meshToken()}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (options.onBehalfOf) {
      headers[ON_BEHALF_HEADER] = options.onBehalfOf.uid;
      headers[ON_BEHALF_PLAN_HEADER] = options.onBehalfOf.plan;
    }
    try {
      const res = await fetch(`${baseUrl}${path}`, {
        method: method.toUpperCase(),
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      if (!res.ok) throw await downstreamError(target, res);
      return await readBody(res);
    } catch (err) {
      if (isAppError(err) || options.signal?.aborted) throw err;
      if (timeout.aborted) {
        throw new TransportFailure('timeout', `${target} did not answer within ${timeoutMs} ms`, { cause: err });
      }
      throw new TransportFailure('network', `${target} could not be reached`, { cause: err });
    }
  };

  const call = async (method: string, path: string, body: unknown, options: CallOptions = {}): Promise<unknown> => {
    try {
      return await callWithRetries(() => attempt(method, path, body, options), {
        downstream: target,
        breaker,
        policy,
        isRetryable,
        signal: options.signal,
        onRetry: (err, n, delay) =>
          ctx.logger.warn(
            { target, path, attempt: n, err: (err as Error).message, retryInMs: Math.round(delay) },
            'retrying a mesh call',
          ),
      });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      throw asAppError(target, err);
    }
  };

  return {
    target,
    baseUrl,
    get: (path, options) => call('get', path, undefined, options) as never,
    delete: (path, options) => call('delete', path, undefined, options) as never,
    post: (path, body, options) => call('post', path, body, options) as never,
    put: (path, body, options) => call('put', path, body, options) as never,
    patch: (path, body, options) => call('patch', path, body, options) as never,
  };
}

function asAppError(target: string, err: unknown): AppError {
  if (isAppError(err)) return err;
  if (err instanceof TransportFailure && err.kind === 'timeout') {
    return new AppError('deadline_exceeded', err.message);
  }
  return unavailable(`${target} is unavailable`, 1);
}

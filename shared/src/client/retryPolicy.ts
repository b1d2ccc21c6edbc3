import { setTimeout as sleep } from 'node:timers/promises';
import { isAppError, unavailable } from '../errors.js';
import type { DownstreamBreaker } from './circuitBreakers.js';

/**
 * How every outbound call of ours is retried, whether it goes to another
 * mesh service or to a cloud provider's API: a few attempts with exponential
 * backoff and full jitter, never sooner than the server asked, through the
 * downstream's circuit breaker.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not worth waiting for inside one request: fail at once. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5000,
  maxRetryAfterSeconds: 30,
};

/** HTTP statuses that say "try again later" rather than "this request is wrong". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** 429/503 carry Retry-After as seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Exponential backoff with full jitter, but never sooner than the server asked. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterSeconds: number | undefined): number {
  const jitter = Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(jitter, (retryAfterSeconds ?? 0) * 1000);
}

export interface RetryingCallOptions {
  /** Names the downstream in the error a call gets while its breaker is open. */
  downstream: string;
  breaker: DownstreamBreaker;
  policy: RetryPolicy;
  isRetryable(err: unknown): boolean;
  /** Cancels the call, its retries and its waits; its reason is thrown as is. */
  signal?: AbortSignal | undefined;
  onRetry?(err: unknown, attempt: number, delayMs: number): void;
}

/**
 * Runs `attempt` through the breaker until it succeeds, fails in a way not
 * worth retrying, or runs out of attempts; throws the last failure as it
 * was (callers turn it into their error shape). An open breaker fails at
 * once with 503 and the seconds until it lets a trial call through.
 */
export async function callWithRetries<T>(attempt: () => Promise<T>, options: RetryingCallOptions): Promise<T> {
  const { breaker, policy, signal } = options;
  for (let n = 1; ; n++) {
    try {
      return await breaker.fire(attempt);
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      if (breaker.isRejection(err)) {
        // Refused unseen: say why it was opened, or a job fails with no trace of the cause.
        const last = breaker.lastFailure();
        throw unavailable(
          `${options.downstream} is unavailable${last ? ` (its last error: ${last})` : ''}`,
          breaker.retryAfterSeconds(),
        );
      }
      const retryAfter = isAppError(err) ? err.retryAfterSeconds : undefined;
      const final =
        n >= policy.attempts || !options.isRetryable(err) || (retryAfter ?? 0) > policy.maxRetryAfterSeconds;
      if (final) throw err;
      const delay = retryDelayMs(policy, n, retryAfter);
      options.onRetry?.(err, n, delay);
      await sleep(delay, undefined, signal ? { signal } : undefined);
    }
  }
}

import CircuitBreaker from 'opossum';
import { isAppError } from '../errors.js';

export interface DownstreamBreaker {
  fire<T>(attempt: () => Promise<T>): Promise<T>;
  /** True for the error a call gets while the breaker is open (it never reached the downstream). */
  isRejection(err: unknown): boolean;
  /** Seconds until the breaker lets a trial call through. */
  retryAfterSeconds(): number;
  /** What the last failed call said: the cause worth showing once calls are refused unseen. */
  lastFailure(): string | undefined;
}

const RESET_TIMEOUT_MS = 10_000;
/** Enough for FFmpeg's last error line; a whole stderr tail would bury the message it is part of. */
const MAX_FAILURE_CHARS = 300;

/**
 * One breaker per downstream for the whole process, shared by every client
 * of it, so all callers learn together that it is down. Keyed by URL as well
 * as name: tests (and a moved service) point the same name elsewhere.
 */
const breakers = new Map<string, DownstreamBreaker>();

function createBreaker(): DownstreamBreaker {
  let openedAt = 0;
  let lastFailure: string | undefined;
  const breaker = new CircuitBreaker((attempt: () => Promise<unknown>) => attempt(), {
    // Each attempt has its own AbortSignal timeout; opossum's would leave the request running.
    timeout: false,
    errorThresholdPercentage: 50,
    volumeThreshold: 5,
    resetTimeout: RESET_TIMEOUT_MS,
    rollingCountTimeout: 10_000,
    // A 4xx is the caller's mistake (or a refusal), not a sign the downstream is down.
    errorFilter: (err) => isAppError(err) && err.status < 500,
  });
  breaker.on('open', () => {
    openedAt = Date.now();
  });
  breaker.on('failure', (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    lastFailure = message.length > MAX_FAILURE_CHARS ? `${message.slice(0, MAX_FAILURE_CHARS)}…` : message;
  });
  return {
    fire: <T>(attempt: () => Promise<T>) => breaker.fire(attempt) as Promise<T>,
    isRejection: (err) => (err as { code?: string } | undefined)?.code === 'EOPENBREAKER',
    retryAfterSeconds: () => Math.max(1, Math.ceil((openedAt + RESET_TIMEOUT_MS - Date.now()) / 1000)),
    lastFailure: () => lastFailure,
  };
}

export function breakerFor(target: string, baseUrl: string): DownstreamBreaker {
  const key = `${target} ${baseUrl}`;
  let breaker = breakers.get(key);
  if (!breaker) {
    breaker = createBreaker();
    breakers.set(key, breaker);
  }
  return breaker;
}

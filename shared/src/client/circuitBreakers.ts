import CircuitBreaker from 'opossum';
import { isAppError } from '../errors.js';

export interface DownstreamBreaker {
  fire<T>(attempt: () => Promise<T>): Promise<T>;
  /** True for the error a call gets while the breaker is open (it never reached the downstream). */
  isRejection(err: unknown): boolean;
  /** Seconds until the breaker lets a trial call through. */
  retryAfterSeconds(): number;
}

const RESET_TIMEOUT_MS = 10_000;

/**
 * One breaker per downstream for the whole process, shared by every client
 * of it, so all callers learn together that it is down. Keyed by URL as well
 * as name: tests (and a moved service) point the same name elsewhere.
 */
const breakers = new Map<string, DownstreamBreaker>();

function createBreaker(): DownstreamBreaker {
  let openedAt = 0;
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
  return {
    fire: <T>(attempt: () => Promise<T>) => breaker.fire(attempt) as Promise<T>,
    isRejection: (err) => (err as { code?: string } | undefined)?.code === 'EOPENBREAKER',
    retryAfterSeconds: () => Math.max(1, Math.ceil((openedAt + RESET_TIMEOUT_MS - Date.now()) / 1000)),
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

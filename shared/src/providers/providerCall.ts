import { breakerFor } from '../client/circuitBreakers.js';
import { callWithRetries, DEFAULT_RETRY_POLICY, RETRYABLE_STATUSES, type RetryPolicy } from '../client/retryPolicy.js';
import { isAppError, unavailable } from '../errors.js';
import { PROVIDER_LABELS, providerError } from './providerErrors.js';
import type { Provider, ProviderCredential, ProviderKeyResolver } from './providerKeys.js';

/** Who a provider call is made for: their key is used when they stored one. */
export interface ProviderCallContext {
  /** The user the work is for; undefined for the platform's own work (previews). */
  userId?: string | undefined;
  /** Cancels the call and its retries (a cancelled job, a closed request). */
  signal?: AbortSignal | undefined;
}

/** What every provider adapter is given: where keys come from and how patient to be. */
export interface ProviderAdapterOptions {
  keys: ProviderKeyResolver;
  /** Per attempt; each adapter knows its provider's slowest sane answer and defaults to it. */
  timeoutMs?: number;
  policy?: RetryPolicy;
  logger?: { warn(obj: object, msg: string): void };
}

export interface ProviderCallerOptions {
  provider: Provider;
  keys: ProviderKeyResolver;
  /** Per attempt: the provider's slowest sane answer. */
  timeoutMs: number;
  /** Where the SDK is pointed (its production URL, or a test server): the breaker is per provider endpoint. */
  endpoint: string;
  policy?: RetryPolicy;
  logger?: { warn(obj: object, msg: string): void };
}

export interface ProviderAttempt {
  credential: ProviderCredential;
  /** Aborts when the attempt's deadline passes or the caller cancels: hand it to the SDK. */
  signal: AbortSignal;
}

/** Calls one provider for someone: `run` gets the key to use and a signal to pass to the SDK. */
export type ProviderCaller = <T>(
  context: ProviderCallContext,
  run: (attempt: ProviderAttempt) => Promise<T>,
  /** Units of usage a result stands for (characters, seconds); 1 when absent. */
  units?: (result: T) => number,
) => Promise<T>;

/** Rate limits are worth retrying only when the provider said when; an exhausted quota is not. */
const isRetryable = (err: unknown) =>
  isAppError(err) &&
  RETRYABLE_STATUSES.has(err.status) &&
  (err.status !== 429 || (err.retryAfterSeconds !== undefined && err.retryAfterSeconds > 0));

/**
 * The one way cloud adapters call a provider: the user's own key when they
 * stored one (else the platform's), a deadline per attempt, the shared retry
 * policy and a circuit breaker per provider endpoint, every failure mapped
 * to our error codes with the key scrubbed, and usage recorded against a
 * user's key when the call succeeds.
 */
export function createProviderCaller(options: ProviderCallerOptions): ProviderCaller {
  const label = PROVIDER_LABELS[options.provider];
  const breaker = breakerFor(`provider:${options.provider}`, options.endpoint);
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;

  return async (context, run, units) => {
    const credential = await options.keys.resolve(options.provider, context.userId);
    if (!credential) throw unavailable(`${label} is not configured: no platform key and none of yours`);

    const attempt = async () => {
      context.signal?.throwIfAborted();
      const deadline = AbortSignal.timeout(options.timeoutMs);
      const signal = context.signal ? AbortSignal.any([context.signal, deadline]) : deadline;
      try {
        return await run({ credential, signal });
      } catch (err) {
        if (context.signal?.aborted) throw err;
        throw providerError(err, { credential, timedOut: deadline.aborted, timeoutMs: options.timeoutMs });
      }
    };
    const result = await callWithRetries(attempt, {
      downstream: label,
      breaker,
      policy,
      isRetryable,
      signal: context.signal,
      onRetry: (err, n, delay) =>
        options.logger?.warn(
          { provider: options.provider, attempt: n, err: (err as Error).message, retryInMs: Math.round(delay) },
          'retrying a provider call',
        ),
    });
    if (credential.source === 'user') await options.keys.recordUsage(credential, context.userId, units?.(result) ?? 1);
    return result;
  };
}

/** For SDKs that take no AbortSignal: rejects with the signal's reason as soon as it aborts. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The caller an adapter makes from its options, with its provider's own timeout unless the options set one. */
export function adapterCaller(
  provider: Provider,
  endpoint: string,
  options: ProviderAdapterOptions,
  defaultTimeoutMs: number,
): ProviderCaller {
  return createProviderCaller({
    provider,
    keys: options.keys,
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
    endpoint,
    policy: options.policy,
    logger: options.logger,
  });
}

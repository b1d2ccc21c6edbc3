import { parseRetryAfter } from '../client/retryPolicy.js';
import { AppError } from '../errors.js';
import type { Provider, ProviderCredential } from './providerKeys.js';

/**
 * One mapping from whatever a provider's SDK throws to our error codes, for
 * every cloud adapter. The SDKs are told apart by shape, not imported, so
 * shared needs none of them:
 *   @google/genai and @fal-ai/client: `status` (HTTP), message / body;
 *   ElevenLabs: `statusCode`, `body`, `rawResponse.headers`;
 *   Google Cloud clients (google-gax): `code` (a gRPC status), `details`.
 */
export const PROVIDER_LABELS: Record<Provider, string> = {
  gemini: 'Gemini',
  fal: 'fal',
  elevenlabs: 'ElevenLabs',
  'google-cloud': 'Google Cloud',
};

/** What went wrong, as far as the provider said. */
export interface ProviderFailure {
  /** HTTP status, or the HTTP equivalent of a gRPC status. */
  status?: number;
  retryAfterSeconds?: number;
  /** The provider's own words, for details (never shown with a key in it). */
  message: string;
  /** The provider's answer says the account's quota or credits are used up. */
  quotaExhausted: boolean;
  /** The provider's answer says the key is not valid (some say so with a 400). */
  keyRejected: boolean;
}

/** gRPC status codes (google-gax `Status`) as the HTTP status they stand for. */
const GRPC_TO_HTTP: Record<number, number> = {
  1: 499,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  7: 403,
  8: 429,
  9: 400,
  11: 400,
  13: 500,
  14: 503,
  16: 401,
};

const KEY_REJECTED = /API[_ ]KEY[_ ]INVALID|API key not valid|invalid[_ ]api[_ ]key|Invalid API key/i;
const QUOTA_EXHAUSTED =
  /quota_exceeded|RESOURCE_EXHAUSTED|exceeded your current quota|insufficient (credits|balance)|Exhausted balance/i;
/** Gemini puts its wait in the error body (google.rpc.RetryInfo): "retryDelay": "27s". */
const RETRY_DELAY = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/;

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  try {
    return JSON.stringify(body);
  } catch {
    return String(body);
  }
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads status, body and Retry-After out of any of the SDKs' errors. */
export function describeProviderFailure(err: unknown): ProviderFailure {
  const e = (err ?? {}) as {
    status?: unknown;
    statusCode?: unknown;
    code?: unknown;
    body?: unknown;
    details?: unknown;
    message?: unknown;
    rawResponse?: { headers?: unknown };
    headers?: unknown;
  };
  let status: number | undefined;
  if (typeof e.status === 'number') status = e.status;
  else if (typeof e.statusCode === 'number') status = e.statusCode;
  else if (typeof e.code === 'number') status = GRPC_TO_HTTP[e.code] ?? 500;
  const text = [typeof e.message === 'string' ? e.message : '', bodyText(e.body), bodyText(e.details)]
    .filter(Boolean)
    .join(' ');
  const header = parseRetryAfter(headerOf(e.rawResponse?.headers ?? e.headers, 'retry-after'));
  const delay = RETRY_DELAY.exec(text);
  return {
    ...(status === undefined ? {} : { status }),
    ...(header !== undefined
      ? { retryAfterSeconds: header }
      : delay
        ? { retryAfterSeconds: Math.ceil(Number(delay[1])) }
        : {}),
    message: text.slice(0, 500),
    quotaExhausted: QUOTA_EXHAUSTED.test(text),
    keyRejected: KEY_REJECTED.test(text),
  };
}

const redact = (text: string, secret: string) => (secret ? text.split(secret).join('[redacted]') : text);

export interface ProviderErrorContext {
  credential: Pick<ProviderCredential, 'provider' | 'source' | 'apiKey'>;
  /** Our own deadline for the attempt ran out. */
  timedOut?: boolean;
  timeoutMs?: number;
}

/**
 * A provider's failure as one of our errors:
 *  - a refused key: 401 naming the provider when it is the user's own key;
 *    503 when it is the platform's (the user can do nothing about it, and a
 *    401 would read as "sign in again");
 *  - quota or rate limit: 429 with the provider's Retry-After when it gave one;
 *  - our timeout: 504; the provider down or failing: 503; both retryable;
 *  - any other refusal of the request: 422 with the provider's reason.
 * The key is scrubbed from every message, whatever the SDK put in it.
 */
export function providerError(err: unknown, context: ProviderErrorContext): AppError {
  if (err instanceof AppError) return err;
  const { provider, source, apiKey } = context.credential;
  const label = PROVIDER_LABELS[provider];
  const failure = describeProviderFailure(err);
  const reason = redact(failure.message, apiKey);
  const details = (why: string) => ({
    provider,
    keySource: source,
    reason: why,
    ...(failure.status === undefined ? {} : { upstreamStatus: failure.status }),
    ...(reason ? { upstream: reason } : {}),
  });

  if (context.timedOut || failure.status === 504 || failure.status === 408) {
    const within = context.timeoutMs ? ` within ${Math.round(context.timeoutMs / 1000)} s` : ' in time';
    return new AppError('deadline_exceeded', `${label} did not answer${within}`, details('provider_timeout'));
  }
  if (failure.quotaExhausted || failure.status === 429) {
    const whose = source === 'user' ? `your ${label} key` : `the platform's ${label} account`;
    return new AppError(
      'rate_limited',
      `${label} refused the call: ${whose} is over its quota or rate limit; try again later`,
      details('provider_quota_exhausted'),
      undefined,
      failure.retryAfterSeconds,
    );
  }
  if (failure.keyRejected || failure.status === 401 || failure.status === 403) {
    if (source === 'user') {
      return new AppError(
        'unauthenticated',
        `${label} rejected your API key; check or replace your ${label} key`,
        details('provider_key_rejected'),
      );
    }
    return new AppError('unavailable', `${label} is not available: it rejected the platform key`, {
      ...details('provider_key_rejected'),
    });
  }
  if (failure.status !== undefined && failure.status >= 400 && failure.status < 500) {
    return new AppError('invalid_argument', `${label} refused the request`, details('provider_refused'), 422);
  }
  return new AppError(
    'unavailable',
    `${label} is unavailable; try again shortly`,
    details('provider_unavailable'),
    undefined,
    failure.retryAfterSeconds ?? 1,
  );
}

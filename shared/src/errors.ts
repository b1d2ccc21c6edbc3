/**
 * The one error shape of every service: `{ error: { code, message, details?, requestId } }`.
 * Codes are stable API; HTTP statuses follow from them.
 */
export const ERROR_STATUS = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  deadline_exceeded: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown; requestId?: string };
}

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Overrides the code's usual status (422 for field validation under invalid_argument). */
    status?: number,
    /** Seconds a caller should wait before trying again (sets Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status ?? ERROR_STATUS[code];
  }

  toBody(requestId?: string): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
        ...(requestId ? { requestId } : {}),
      },
    };
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError('invalid_argument', message, details);
export const unprocessable = (message: string, details?: unknown) =>
  new AppError('invalid_argument', message, details, 422);
export const unauthenticated = (message = 'sign in to continue') => new AppError('unauthenticated', message);
export const forbidden = (message: string) => new AppError('permission_denied', message);
export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new AppError('conflict', message, details);
export const unavailable = (message: string, retryAfterSeconds?: number) =>
  new AppError('unavailable', message, undefined, undefined, retryAfterSeconds);
export const rateLimited = (message: string, retryAfterSeconds: number, details?: unknown) =>
  new AppError('rate_limited', message, details, undefined, retryAfterSeconds);

/**
 * A repeat of a request whose first try is still running (same idempotency
 * key): not a failure, so callers wait and ask again instead of giving up.
 */
export const inProgress = (message: string, retryAfterSeconds = 2) =>
  new AppError('conflict', message, { reason: 'in_progress' }, undefined, retryAfterSeconds);

export function isInProgress(err: unknown): boolean {
  return (
    err instanceof AppError && err.code === 'conflict' && (err.details as { reason?: string })?.reason === 'in_progress'
  );
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

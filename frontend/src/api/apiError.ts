/** The API's one error shape: `{ error: { code, message, details?, requestId } }`. */
export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown; requestId?: string };
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = undefined,
    readonly requestId: string | undefined = undefined,
    /** From Retry-After on 429 and 503. */
    readonly retryAfterSeconds: number | undefined = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The failing fields of a 422, when the API listed them. */
  get fields(): FieldProblem[] {
    const fields = (this.details as { fields?: unknown } | undefined)?.fields;
    return Array.isArray(fields) ? (fields as FieldProblem[]) : [];
  }
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Reads an error response into an ApiError, whatever its body holds. */
export async function apiErrorFrom(res: Response, what: string): Promise<ApiError> {
  let body: ApiErrorBody = {};
  try {
    body = (await res.json()) as ApiErrorBody;
  } catch {
    // Not JSON (a proxy's HTML page): the status alone has to speak.
  }
  const error = body.error ?? {};
  return new ApiError(
    res.status,
    error.code ?? 'unknown',
    error.message ?? `${what} failed (${res.status})`,
    error.details,
    error.requestId,
    retryAfter(res.headers.get('retry-after')),
  );
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

const capitalised = (s: string) => (s ? s[0]?.toUpperCase() + s.slice(1) : s);

/** What to tell a person about a failed call: plain words, what to do next, never a stack. */
export function humanMessage(err: unknown): string {
  if (!(err instanceof ApiError)) {
    if (err instanceof TypeError) return 'Could not reach storyreel. Check your connection and try again.';
    if (err instanceof DOMException && err.name === 'AbortError') return 'Cancelled.';
    return err instanceof Error ? capitalised(err.message) : 'Something went wrong.';
  }
  switch (err.code) {
    case 'rate_limited': {
      const when =
        err.retryAfterSeconds === undefined ? 'in a little while' : `in ${formatWait(err.retryAfterSeconds)}`;
      return `${capitalised(err.message.replace(/\.$/, ''))}. You can try again ${when}.`;
    }
    case 'unauthenticated':
      if (/app check|x-firebase-appcheck/i.test(err.message)) {
        return 'storyreel could not verify this app (App Check). Reload the page and try again.';
      }
      return 'Your sign-in has expired. Sign in again to continue.';
    case 'permission_denied':
      return "You don't have access to that.";
    case 'not_found':
      return `${capitalised(err.message.replace(/^not found:?\s*/i, '').replace(/\.$/, '') || 'That')} was not found. It may have been deleted.`;
    case 'conflict':
      return `${capitalised(err.message.replace(/\.$/, ''))}.`;
    case 'payload_too_large':
      return 'That is too large to send. Try a smaller file or a shorter story.';
    case 'invalid_argument': {
      const fields = err.fields;
      if (fields.length > 0) return fields.map((f) => `${capitalised(f.field)}: ${f.message}`).join('. ');
      return `${capitalised(err.message.replace(/\.$/, ''))}.`;
    }
    case 'unavailable': {
      const when = err.retryAfterSeconds === undefined ? '' : ` Try again in ${formatWait(err.retryAfterSeconds)}.`;
      return `storyreel is busy right now.${when || ' Try again shortly.'}`;
    }
    case 'internal':
      return `Something went wrong on our side${err.requestId ? ` (reference ${err.requestId})` : ''}. Please try again.`;
    default:
      return `${capitalised(err.message.replace(/\.$/, ''))}.`;
  }
}

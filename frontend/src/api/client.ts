import { apiErrorFrom } from './apiError';

/** Where the credentials of each call come from: the signed-in session. */
export interface Credentials {
  /** A Firebase ID token (or `dev:<uid>` in the local dev auth mode). */
  idToken(): Promise<string | null>;
  /** An App Check token (or the local debug token). */
  appCheckToken(): Promise<string | null>;
}

export const APP_CHECK_HEADER = 'x-firebase-appcheck';

export type Service = 'compose' | 'narrate' | 'music' | 'upload' | 'api-key' | 'render' | 'align-captions' | 'polish';

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/**
 * Every call of the wizard goes through here: `/api/<service>/<path>`
 * (Hosting rewrites in production, the Vite proxy or the local gateway
 * here), with the ID token and App Check token, and the API's error shape
 * turned into an ApiError.
 */
export class HttpClient {
  constructor(
    private readonly credentials: Credentials,
    private readonly base = '/api',
  ) {}

  url(service: Service, path: string): string {
    return `${this.base}/${service}${path}`;
  }

  async headers(extra: Record<string, string> = {}): Promise<Record<string, string>> {
    const [idToken, appCheck] = await Promise.all([this.credentials.idToken(), this.credentials.appCheckToken()]);
    return {
      ...(idToken ? { authorization: `Bearer ${idToken}` } : {}),
      ...(appCheck ? { [APP_CHECK_HEADER]: appCheck } : {}),
      ...extra,
    };
  }

  /** The raw response of a successful call (audio, event streams); errors still throw ApiError. */
  async fetch(service: Service, method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const hasBody = options.body !== undefined;
    const res = await fetch(this.url(service, path), {
      method,
      headers: await this.headers({
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      }),
      body: hasBody ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    });
    if (!res.ok) throw await apiErrorFrom(res, `${method} ${path}`);
    return res;
  }

  async json<T>(service: Service, method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.fetch(service, method, path, options);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

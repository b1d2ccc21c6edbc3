/** A thin JSON client for the gateway's /api routes, as the wizard uses them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function apiClient(gatewayUrl: string, token: string, appCheckToken?: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${gatewayUrl}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(appCheckToken ? { 'x-firebase-appcheck': appCheckToken } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const error = json?.error ?? {};
      throw new ApiError(
        res.status,
        error.code ?? 'unknown',
        error.message ?? `${method} ${path} failed (${res.status})`,
      );
    }
    return json as T;
  }
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
    patch: <T>(path: string, body: unknown) => call<T>('PATCH', path, body),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

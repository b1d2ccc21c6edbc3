import { vi } from 'vitest';

export interface FakeRequest {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

type Reply = Response | unknown;
type Handler = (req: FakeRequest, params: string[]) => Reply | Promise<Reply>;

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const apiError = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json({ error: { code, message, requestId: 'req-1' } }, status, headers);

/**
 * A stand-in for the services behind /api: routes are "METHOD /api/<service>/<path>"
 * with `*` for one path segment. Every call is recorded, unknown ones answer 404,
 * so the screens run through the real API client.
 */
export function fakeApi(routes: Record<string, Handler>) {
  const calls: FakeRequest[] = [];
  const table = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(' ') as [string, string];
    const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '([^/]+)')}$`);
    return { method, regex, handler };
  });
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const text = typeof init.body === 'string' ? init.body : undefined;
    const req: FakeRequest = {
      method,
      path: url.pathname,
      headers: new Headers(init.headers),
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(req);
    for (const route of table) {
      const match = route.method === method ? route.regex.exec(url.pathname) : null;
      if (!match) continue;
      const reply = await route.handler(req, match.slice(1));
      return reply instanceof Response ? reply : json(reply);
    }
    return apiError(404, 'not_found', `not found: ${method} ${url.pathname}`);
  });
  vi.stubGlobal('fetch', fetch);
  return {
    calls,
    /** The calls made to one route, e.g. `sent('PATCH', '/api/compose/v1/projects/p1/scenes')`. */
    sent: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

/** A text/event-stream body that sends these events, then ends. */
export function eventStream(events: { event: string; data: unknown }[]): Response {
  const text = events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join('');
  return new Response(text, { headers: { 'content-type': 'text/event-stream' } });
}

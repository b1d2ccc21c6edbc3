import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RetryPolicy } from '../client/retryPolicy.js';
import type { Provider, ProviderCredential, ProviderKeyResolver } from '../providers/providerKeys.js';

/**
 * A provider's API played back on loopback, for cloud adapter tests: each
 * SDK is pointed at it (base URL / apiEndpoint override) and it answers from
 * recorded responses, so no test reaches the network. Every request is kept
 * so a test can check what the adapter sent, the key above all.
 */
export interface FakeProviderRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

export interface FakeProviderReply {
  status?: number;
  json?: unknown;
  body?: Buffer | string;
  headers?: Record<string, string>;
  /** Answer only after this long (timeouts). */
  delayMs?: number;
}

export interface FakeProviderServer {
  url: string;
  port: number;
  received: FakeProviderRequest[];
  close(): Promise<void>;
}

export async function fakeProviderServer(
  reply: (req: FakeProviderRequest, n: number) => FakeProviderReply | Promise<FakeProviderReply>,
): Promise<FakeProviderServer> {
  const received: FakeProviderRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = Buffer.concat(chunks);
      const request: FakeProviderRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json: <T>() => JSON.parse(body.toString('utf8')) as T,
      };
      received.push(request);
      try {
        const answer = await reply(request, received.length);
        if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
        if (res.destroyed) return;
        const payload = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? '');
        res.writeHead(answer.status ?? 200, {
          ...(answer.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...answer.headers,
        });
        res.end(payload);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake provider failed: ${(err as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A recorded provider response kept as JSON under a test's fixtures folder. */
export function readFixture<T = Record<string, unknown>>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as T;
}

/** The recorded answers in the `fixtures/` folder beside a test file (pass its `import.meta.url`). */
export function fixturesBeside(testFileUrl: string) {
  const dir = fileURLToPath(new URL('./fixtures', testFileUrl));
  return <T = Record<string, unknown>>(name: string): T => readFixture<T>(dir, name);
}

/** One try, no waiting: a provider test sees each failure as it is, not after retries. */
export const ONE_TRY: RetryPolicy = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterSeconds: 1 };

export interface FakeKeyResolver extends ProviderKeyResolver {
  usage: { provider: Provider; userId: string | undefined; units: number }[];
}

/**
 * Stands in for the api-key service: `userKeys[userId][provider]` is a
 * user's stored key, `platformKeys[provider]` the platform's.
 */
export function fakeKeyResolver(
  userKeys: Record<string, Partial<Record<Provider, string>>>,
  platformKeys: Partial<Record<Provider, string>>,
): FakeKeyResolver {
  const usage: FakeKeyResolver['usage'] = [];
  return {
    usage,
    async resolve(provider, userId) {
      const own = userId ? userKeys[userId]?.[provider] : undefined;
      if (own) return { provider, apiKey: own, source: 'user' };
      const platform = platformKeys[provider];
      return platform ? { provider, apiKey: platform, source: 'platform' } : undefined;
    },
    async recordUsage(credential: ProviderCredential, userId, units = 1) {
      if (credential.source === 'user') usage.push({ provider: credential.provider, userId, units });
    },
  };
}

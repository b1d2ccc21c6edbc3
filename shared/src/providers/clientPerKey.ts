import { createHash } from 'node:crypto';

/**
 * SDK clients that are costly to build (the Google Cloud ones load their
 * protos: a second or more each) kept per API key, the most recently used
 * few, so a user's calls reuse theirs. Keyed by a hash, not by the key.
 */
export function clientPerKey<T>(
  create: (apiKey: string) => T,
  close: (client: T) => unknown = () => undefined,
  max = 32,
): (apiKey: string) => T {
  const clients = new Map<string, T>();
  return (apiKey) => {
    const id = createHash('sha256').update(apiKey).digest('base64url');
    let client = clients.get(id);
    if (client) {
      clients.delete(id);
    } else {
      client = create(apiKey);
      const oldest = clients.keys().next();
      if (clients.size >= max && !oldest.done) {
        const evicted = clients.get(oldest.value) as T;
        clients.delete(oldest.value);
        void Promise.resolve(close(evicted)).catch(() => undefined);
      }
    }
    clients.set(id, client);
    return client;
  };
}

/** Where a Google Cloud client is pointed: its production host, or a loopback fake in tests (plain HTTP). */
export interface GoogleEndpoint {
  apiEndpoint: string;
  port?: number | undefined;
  protocol?: 'http' | 'https' | undefined;
}

// A type, not an interface: google-gax's ClientOptions has an index signature only types satisfy.
type GoogleRestClientOptions = {
  apiKey: string;
  apiEndpoint: string;
  fallback: true;
  port?: number;
  protocol?: string;
};

/** Google Cloud clients per key, over REST (not gRPC) so an API key works and a test can answer over plain HTTP. */
export function googleRestClients<T extends { close(): Promise<void> }>(
  Client: new (options: GoogleRestClientOptions) => T,
  endpoint: GoogleEndpoint,
): (apiKey: string) => T {
  return clientPerKey(
    (apiKey) =>
      new Client({
        apiKey,
        apiEndpoint: endpoint.apiEndpoint,
        fallback: true,
        ...(endpoint.port ? { port: endpoint.port } : {}),
        ...(endpoint.protocol ? { protocol: endpoint.protocol } : {}),
      }),
    (client) => client.close(),
  );
}

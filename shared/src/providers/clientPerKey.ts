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

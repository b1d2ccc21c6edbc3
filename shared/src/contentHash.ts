import { createHash } from 'node:crypto';

/** Key order must not change a hash, or equal inputs would miss the cache. */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/** Hash of every input of a derived artefact: equal inputs, equal key; any change, a new key. */
export function contentHash(value: unknown, length = 24): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, length);
}

import { badRequest, notFound } from '../errors.js';

export interface GsPath {
  bucket: string;
  key: string;
}

const SCHEME = 'gs://';

/**
 * Parses and checks a `gs://bucket/key` path. Keys are refused when they
 * could escape their prefix or name another bucket: `..` or `.` segments,
 * empty segments, backslashes, control characters, absolute keys. A bucket
 * outside `allowedBuckets` is refused before any read.
 */
export function parseGsPath(path: string, allowedBuckets: readonly string[]): GsPath {
  if (typeof path !== 'string' || !path.startsWith(SCHEME)) {
    throw badRequest(`expected a gs://bucket/key path`, { path: String(path).slice(0, 200) });
  }
  const rest = path.slice(SCHEME.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  if (!allowedBuckets.includes(bucket)) {
    throw badRequest('bucket is not one of ours', { bucket });
  }
  assertSafeKey(key);
  return { bucket, key };
}

/**
 * Parses a `gs://bucket/prefix` for listing: like parseGsPath, except that the
 * prefix may be empty (the whole bucket) or end with `/` (one folder).
 */
export function parseGsPrefix(path: string, allowedBuckets: readonly string[]): GsPath {
  if (typeof path !== 'string' || !path.startsWith(SCHEME)) {
    throw badRequest(`expected a gs://bucket/prefix path`, { path: String(path).slice(0, 200) });
  }
  const rest = path.slice(SCHEME.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1);
  if (prefix === '') {
    if (!allowedBuckets.includes(bucket)) throw badRequest('bucket is not one of ours', { bucket });
    return { bucket, key: '' };
  }
  const folder = prefix.endsWith('/');
  const { key } = parseGsPath(`${SCHEME}${bucket}/${folder ? prefix.slice(0, -1) : prefix}`, allowedBuckets);
  return { bucket, key: folder ? `${key}/` : key };
}

export function assertSafeKey(key: string): void {
  const bad = (why: string) => badRequest(`unsafe object key: ${why}`);
  if (key.length === 0) throw bad('empty');
  if (key.length > 1024) throw bad('too long');
  if (key.startsWith('/')) throw bad('absolute');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(key)) throw bad('control character or backslash');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw bad('empty, . or .. segment');
  }
  if (/%2e|%2f/i.test(key)) throw bad('encoded dot or slash');
}

export function formatGsPath(bucket: string, key: string): string {
  assertSafeKey(key);
  return `${SCHEME}${bucket}/${key}`;
}

/** Refuses (as not found, so ids do not leak) a path outside `gs://bucket/<prefix>`. */
export function assertUnderPrefix(path: GsPath, bucket: string, prefix: string): void {
  if (path.bucket !== bucket || !path.key.startsWith(prefix)) throw notFound('object');
}

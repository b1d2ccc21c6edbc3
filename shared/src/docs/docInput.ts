import { badRequest } from '../errors.js';

/** Kept beside the data in Firestore; refused in callers' data so both stores hold the same documents. */
export const RESERVED_FIELDS = ['_version', '_updatedAt'] as const;

const MAX_NAME_BYTES = 1500;

/**
 * Collection names and ids follow Firestore's rules in both stores, so an id
 * the embedded store accepts never breaks in production.
 */
export function assertDocRef(collection: string, id: string): void {
  assertCollection(collection);
  assertName('document id', id);
}

export function assertCollection(collection: string): void {
  assertName('collection', collection);
}

function assertName(what: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw badRequest(`${what} is empty`);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw badRequest(`${what} is too long`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[/\u0000-\u001f\u007f]/.test(name)) throw badRequest(`${what} contains a slash or control character`);
  if (name === '.' || name === '..' || /^__.*__$/.test(name)) throw badRequest(`${what} is reserved`, { name });
}

/**
 * Documents are JSON objects in both stores: a Date becomes its ISO string and
 * undefined fields vanish on write, not on the first read from another store.
 */
export function toDocData<T>(data: T): Record<string, unknown> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new TypeError('document data must be a JSON object');
  }
  const json = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  for (const field of RESERVED_FIELDS) {
    if (field in json) throw new TypeError(`document data must not use the reserved field ${field}`);
  }
  if (hasNestedArray(json)) throw new TypeError('document data must not hold an array directly inside an array');
  return json;
}

/** Firestore cannot store `[[1]]`; refusing it in both stores keeps local runs honest. */
function hasNestedArray(value: unknown, inArray = false): boolean {
  if (Array.isArray(value)) return inArray || value.some((v) => hasNestedArray(v, true));
  if (value !== null && typeof value === 'object') return Object.values(value).some((v) => hasNestedArray(v));
  return false;
}

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `a.b.c` -> ['a', 'b', 'c']; segments are plain identifiers so they are safe in JSON paths. */
export function parseFieldPath(field: string): string[] {
  const segments = typeof field === 'string' ? field.split('.') : [];
  if (segments.length === 0 || !segments.every((s) => SEGMENT.test(s))) {
    throw badRequest('field paths are dot-separated identifiers', { field: String(field).slice(0, 200) });
  }
  return segments;
}

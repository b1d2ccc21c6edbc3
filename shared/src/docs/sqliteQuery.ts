import { badRequest } from '../errors.js';
import { parseFieldPath } from './docInput.js';
import type { DocQuery, WhereClause } from './port.js';

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/**
 * A field as SQL: its json_type and its value. The path is inlined as a
 * literal because parseFieldPath admits identifiers only, which can hold no quote.
 */
function fieldSql(field: string) {
  const path = `'$.${parseFieldPath(field).join('.')}'`;
  return { path, type: `json_type(data, ${path})`, value: `json_extract(data, ${path})` };
}

/**
 * Equality the way Firestore means it: same type and value (1 and 1.0 are
 * equal; 1, '1' and true are not). Values are bound in the order the SQL uses them.
 */
function equals(type: string, value: string, expected: unknown, params: unknown[]): string {
  if (expected === null) return `${type} = 'null'`;
  if (typeof expected === 'boolean') return `${type} = '${expected ? 'true' : 'false'}'`;
  if (typeof expected === 'number') {
    if (!Number.isFinite(expected)) throw badRequest('query values must be finite numbers');
    params.push(expected);
    return `(${type} IN ('integer', 'real') AND ${value} = ?)`;
  }
  if (typeof expected === 'string') {
    params.push(expected);
    return `(${type} = 'text' AND ${value} = ?)`;
  }
  if (Array.isArray(expected)) {
    params.push(JSON.stringify(expected));
    return `(${type} = 'array' AND ${value} = json(?))`;
  }
  throw badRequest('query values are strings, numbers, booleans, null or arrays');
}

/** Firestore compares ranges within one type only: 5 < 'a' matches nothing. */
function rangeTypes(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return `('integer', 'real')`;
  if (typeof value === 'string') return `('text')`;
  if (typeof value === 'boolean') return `('true', 'false')`;
  throw badRequest('range filters take a string, a finite number or a boolean');
}

function whereSql([field, op, value]: WhereClause, params: unknown[]): string {
  const f = fieldSql(field);
  switch (op) {
    case '==':
      return equals(f.type, f.value, value, params);
    case '!=':
      // Firestore's != leaves out documents where the field is missing or null.
      return `(${f.type} <> 'null' AND NOT ${equals(f.type, f.value, value, params)})`;
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const types = rangeTypes(value);
      params.push(typeof value === 'boolean' ? Number(value) : value);
      return `(${f.type} IN ${types} AND ${f.value} ${op} ?)`;
    }
    case 'in': {
      if (!Array.isArray(value)) throw badRequest(`'in' takes an array`);
      if (value.length === 0) return '0';
      return `(${value.map((v) => equals(f.type, f.value, v, params)).join(' OR ')})`;
    }
    case 'array-contains': {
      if (Array.isArray(value) || (value !== null && typeof value === 'object')) {
        throw badRequest(`'array-contains' takes a string, number, boolean or null`);
      }
      const element = equals('e.type', 'e.atom', value, params);
      return `(${f.type} = 'array' AND EXISTS (SELECT 1 FROM json_each(data, ${f.path}) AS e WHERE ${element}))`;
    }
    default:
      throw badRequest('unknown query operator', { op });
  }
}

/** Firestore's order of types, so mixed-type fields sort alike in both stores. */
const typeRank = (type: string) =>
  `CASE ${type} WHEN 'null' THEN 0 WHEN 'false' THEN 1 WHEN 'true' THEN 1 WHEN 'integer' THEN 2 ` +
  `WHEN 'real' THEN 2 WHEN 'text' THEN 3 WHEN 'array' THEN 4 ELSE 5 END`;

const INEQUALITIES: ReadonlySet<string> = new Set(['<', '<=', '>', '>=', '!=']);

/**
 * Firestore orders a query with inequality filters by those fields (after the
 * explicit orderings, by field path, in the last ordering's direction), so
 * `n >= 2` comes back sorted by n in both stores.
 */
function withImplicitOrder(query: DocQuery): { field: string; direction?: 'asc' | 'desc' }[] {
  const explicit = [...(query.orderBy ?? [])];
  const direction = explicit.at(-1)?.direction ?? 'asc';
  const ordered = new Set(explicit.map((o) => o.field));
  const implicit = [...new Set((query.where ?? []).filter(([, op]) => INEQUALITIES.has(op)).map(([field]) => field))]
    .filter((field) => !ordered.has(field))
    .sort()
    .map((field) => ({ field, direction }));
  return [...explicit, ...implicit];
}

/**
 * The SELECT for a DocStore query: filters over json_extract (nested fields
 * as `$.a.b`), `in` as ORed equalities, `array-contains` through json_each.
 * As in Firestore, ordering by a field leaves out documents without it, and
 * ties fall back to the id in the direction of the last ordering.
 */
export function buildSqliteQuery(collection: string, query: DocQuery = {}): SqlQuery {
  const params: unknown[] = [collection];
  const conditions = ['collection = ?'];
  for (const clause of query.where ?? []) conditions.push(whereSql(clause, params));
  const order: string[] = [];
  for (const { field, direction = 'asc' } of withImplicitOrder(query)) {
    if (direction !== 'asc' && direction !== 'desc') throw badRequest('orderBy direction is asc or desc');
    const f = fieldSql(field);
    const dir = direction.toUpperCase();
    conditions.push(`${f.type} IS NOT NULL`);
    order.push(`${typeRank(f.type)} ${dir}`, `${f.value} ${dir}`);
  }
  order.push(`id ${query.orderBy?.at(-1)?.direction === 'desc' ? 'DESC' : 'ASC'}`);
  let sql = `SELECT id, data, version, updated_at FROM docs WHERE ${conditions.join(' AND ')} ORDER BY ${order.join(', ')}`;
  if (query.limit !== undefined) {
    if (!Number.isInteger(query.limit) || query.limit < 0) throw badRequest('limit must be a whole number');
    sql += ' LIMIT ?';
    params.push(query.limit);
  }
  return { sql, params };
}

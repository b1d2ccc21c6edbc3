import { ERROR_STATUS, type ErrorCode } from '@storyreel/shared';
import type { Response } from 'supertest';
import { expect } from 'vitest';

/**
 * Asserts the one error shape of DESIGN.md: exactly `{ error: { code,
 * message, details?, requestId } }` as JSON, the status that goes with the
 * code (422 for field validation), a readable message that leaks no stack
 * trace, and for 422 the list of failing fields.
 */
export function expectErrorBody(res: Response, status: number, code: ErrorCode, fields?: readonly string[]): void {
  const seen = `${res.status} ${JSON.stringify(res.body).slice(0, 500)}`;
  expect(res.status, seen).toBe(status);
  expect(status === 422 ? 'invalid_argument' : code, seen).toBe(code);
  if (status !== 422) expect(ERROR_STATUS[code]).toBe(status);
  expect(res.headers['content-type'], seen).toMatch(/^application\/json/);
  // Messages may quote the input: never to be sniffed into HTML.
  expect(res.headers['x-content-type-options'], seen).toBe('nosniff');
  expect(Object.keys(res.body), seen).toEqual(['error']);
  const { error } = res.body as { error: Record<string, unknown> };
  expect(
    Object.keys(error).every((k) => ['code', 'message', 'details', 'requestId'].includes(k)),
    seen,
  ).toBe(true);
  expect(error.code, seen).toBe(code);
  expect(typeof error.message === 'string' && error.message.trim().length > 0, seen).toBe(true);
  expect(error.message as string, seen).not.toMatch(/\n\s+at |node_modules|\/src\//);
  expect(error.requestId, seen).toMatch(/^\S{8,}$/);
  if (fields) {
    const listed = (error.details as { fields?: { field: string; message: string }[] } | undefined)?.fields ?? [];
    for (const f of listed) expect(typeof f.message === 'string' && f.message.length > 0, seen).toBe(true);
    expect(
      listed.map((f) => f.field),
      seen,
    ).toEqual(expect.arrayContaining([...fields]));
  }
}

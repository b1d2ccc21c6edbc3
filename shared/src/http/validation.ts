import type { z } from 'zod';
import { unprocessable } from '../errors.js';

export interface FieldProblem {
  field: string;
  message: string;
}

/** zod issues -> the 422 `details` list: one entry per failing field, dotted paths. */
export function fieldProblems(error: z.ZodError, prefix: string): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'params' | 'query',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldProblems(result.error, where === 'body' ? '' : where);
  throw unprocessable(`invalid ${where}: ${fields.map((f) => f.field || where).join(', ')}`, { fields });
}

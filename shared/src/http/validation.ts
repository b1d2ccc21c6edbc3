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

/** A lone surrogate has no UTF-8 form: Firestore, files and providers refuse it, often as a 500 far from here. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Ends the string in FFmpeg, libass and eSpeak, which are all C. */
const NUL = '\u0000';
/** Deeper JSON than any request schema has: the schema refuses it anyway. */
const MAX_TEXT_DEPTH = 32;

/** Every string in a request that no service can store or pass on, by its dotted path. */
export function textProblems(value: unknown, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value, path: prefix ? [prefix] : [] }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop() as { value: unknown; path: string[] };
    if (typeof item === 'string') {
      const field = path.join('.');
      if (LONE_SURROGATE.test(item)) {
        problems.push({ field, message: 'contains a lone surrogate: not valid Unicode text' });
      } else if (item.includes(NUL)) problems.push({ field, message: 'contains a NUL character' });
    } else if (item && typeof item === 'object' && path.length < MAX_TEXT_DEPTH) {
      for (const [key, child] of Object.entries(item)) stack.push({ value: child, path: [...path, key] });
    }
  }
  return problems;
}

/** True when the text shows something: not only spaces and invisible characters (zero-width, joiners, BOM). */
export const hasVisibleText = (text: string): boolean => /[^\s\p{Default_Ignorable_Code_Point}]/u.test(text);

export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'params' | 'query',
): z.infer<S> {
  const prefix = where === 'body' ? '' : where;
  const text = textProblems(value, prefix);
  const result = schema.safeParse(value);
  if (result.success && text.length === 0) return result.data;
  const fields = [...text, ...(result.success ? [] : fieldProblems(result.error, prefix))];
  throw unprocessable(`invalid ${where}: ${fields.map((f) => f.field || where).join(', ')}`, { fields });
}

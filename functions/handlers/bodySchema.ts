import type { z } from 'zod';
import { forbiddenKeyPath } from '../domain/authoring/safeKeys';
import { fieldErrorsOf } from '../domain/events/events';
import { problem, type HttpResponse } from './http';

/**
 * A parsed JSON body checked against its schema, or the 400 naming the first field and its problem.
 * Keys such as `constructor` are refused anywhere in the body before the schema sees it.
 */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): { value: T } | { response: HttpResponse } {
  const forbidden = forbiddenKeyPath(value);
  if (forbidden) return { response: problem(400, forbidden, 'is not allowed as a name (it names object machinery, not data)') };
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return { value: parsed.data };
  const first = fieldErrorsOf(parsed.error, '(body)')[0]!;
  return { response: problem(400, first.path, first.message) };
}

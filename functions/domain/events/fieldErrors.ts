import type { z } from 'zod';

/** A refusal's field and words: what the APIs answer for every input that does not validate. */

export interface FieldError {
  path: string;
  message: string;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

/**
 * Zod's issues as a field and a message each, `root` naming the whole value. A bad record key says
 * what is wrong with it, where zod says only "Invalid key in record".
 */
export function fieldErrorsOf(error: z.ZodError, root: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: formatPath(issue.path) || root,
    message: issue.code === 'invalid_key' ? `is not a valid name: ${issue.issues.map((inner) => inner.message).join('; ')}` : issue.message,
  }));
}

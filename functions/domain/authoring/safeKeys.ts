/**
 * Object keys that name a prototype's machinery. A draft, a sample or a strings file that uses one as
 * a key is refused before anything copies or reads it, with the path of the key.
 */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** The dotted path of the first forbidden key in a JSON value, or undefined (depth-limited walk). */
export function forbiddenKeyPath(value: unknown, path = '', depth = 0): string | undefined {
  if (depth > 64 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = forbiddenKeyPath(item, `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (FORBIDDEN.has(key)) return here;
    const found = forbiddenKeyPath((value as Record<string, unknown>)[key], here, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Template and campaign names and ids: lowercase letters, digits and dashes (they become keys and folders). */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const isName = (value: string): boolean => NAME_PATTERN.test(value);
export const NAME_RULE = 'must be lowercase letters, digits and dashes (at most 64), starting with a letter or digit';

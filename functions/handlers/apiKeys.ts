import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a presented key with the configured ones in constant time (hashes make lengths equal). */
export function apiKeyMatches(presented: string | undefined, configured: readonly string[]): boolean {
  if (!presented) return false;
  const given = createHash('sha256').update(presented).digest();
  let match = false;
  for (const key of configured) {
    if (timingSafeEqual(given, createHash('sha256').update(key).digest())) match = true;
  }
  return match;
}

/** Constant-time equality of two strings (false for different lengths, which it does not hide). */
export function sameString(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { apiKeyMatches } from '../apiKeys';
import type { HttpRequest } from '../http';

/** The body exactly as it arrived: signatures are over these bytes, checked before anything parses them. */
export function rawBody(request: HttpRequest): Buffer {
  if (!request.body) return Buffer.alloc(0);
  return request.isBase64Encoded ? Buffer.from(request.body, 'base64') : Buffer.from(request.body, 'utf8');
}

/**
 * Whether `presented` is the HMAC of `body` with `secret`, compared in constant time. Both sides are
 * compared as the decoded digest, so a wrong length or encoding is simply a mismatch.
 */
export function hmacMatches(
  algorithm: 'sha256' | 'sha1',
  encoding: 'base64' | 'hex',
  secret: string | undefined,
  body: Buffer,
  presented: string | undefined,
): boolean {
  if (!secret || !presented) return false;
  const expected = createHmac(algorithm, secret).update(body).digest();
  const given = Buffer.from(presented.trim().replace(/^sha1=/, ''), encoding);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Named keys stored hashed (ApiKeyStore): the name of the key presented, if it is one. */
export interface KeyDirectory {
  nameOf(presented: string): Promise<string | undefined>;
}

/**
 * Who sent a request: the configured key's name (`default` for TACTFUL_API_KEY or the secret's keys),
 * or a named key's name; undefined when the key is missing or wrong.
 */
export async function senderOf(
  presented: string | undefined,
  configured: { keys: () => Promise<readonly string[]>; name: string },
  named?: KeyDirectory,
): Promise<string | undefined> {
  if (!presented) return undefined;
  if (apiKeyMatches(presented, await configured.keys())) return configured.name;
  return named ? named.nameOf(presented) : undefined;
}

/** HTTP Basic's user name (Segment's write key), or undefined. */
export function basicUser(authorization: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return (colon >= 0 ? decoded.slice(0, colon) : decoded) || undefined;
}

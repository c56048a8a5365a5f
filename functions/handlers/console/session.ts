import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A console session is a signed cookie, not a stored record: `v1.<expires>.<nonce>.<mac>`. The MAC
 * covers the admin key's hash, so rotating the admin key signs everyone out.
 */

export const SESSION_COOKIE = 'tactful_admin';
export const SESSION_SECONDS = 8 * 60 * 60;

function mac(body: string, signingKey: Buffer, adminKey: string): string {
  const keyHash = createHash('sha256').update(adminKey).digest('base64url');
  return createHmac('sha256', signingKey).update(`tactful.console.v1:${keyHash}:${body}`).digest('base64url');
}

export function issueSession(signingKey: Buffer, adminKey: string, nowSeconds: number): string {
  const body = `v1.${nowSeconds + SESSION_SECONDS}.${randomBytes(12).toString('base64url')}`;
  return `${body}.${mac(body, signingKey, adminKey)}`;
}

/** Valid when well-formed, unexpired and signed under one of the current admin keys. */
export function sessionValid(value: string | undefined, signingKey: Buffer, adminKeys: readonly string[], nowSeconds: number): boolean {
  const match = /^(v1\.(\d{1,12})\.[A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match || Number(match[2]) <= nowSeconds) return false;
  const given = Buffer.from(match[3]!);
  return adminKeys.some((key) => {
    const expected = Buffer.from(mac(match[1]!, signingKey, key));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

export function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** HttpOnly and SameSite=Strict always; Secure whenever the console is served over https. */
export function sessionCookie(value: string, secure: boolean, maxAge = SESSION_SECONDS): string {
  return `${SESSION_COOKIE}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

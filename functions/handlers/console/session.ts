import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A console session is a signed cookie, not a stored record: `v1.<expires>.<nonce>.<mac>`. The MAC
 * covers how the person signed in (the principal): with the admin key, its hash, so rotating the key
 * signs everyone out; with the identity provider, a fixed marker.
 */

export const SESSION_COOKIE = 'tactful_admin';
export const SESSION_SECONDS = 8 * 60 * 60;

export const keyPrincipal = (adminKey: string): string => `key:${createHash('sha256').update(adminKey).digest('base64url')}`;
export const IDP_PRINCIPAL = 'idp';

function mac(body: string, signingKey: Buffer, principal: string): string {
  return createHmac('sha256', signingKey).update(`tactful.console.v1:${principal}:${body}`).digest('base64url');
}

export function issueSession(signingKey: Buffer, principal: string, nowSeconds: number): string {
  const body = `v1.${nowSeconds + SESSION_SECONDS}.${randomBytes(12).toString('base64url')}`;
  return `${body}.${mac(body, signingKey, principal)}`;
}

/** Valid when well-formed, unexpired and signed for one of the accepted principals. */
export function sessionValid(value: string | undefined, signingKey: Buffer, principals: readonly string[], nowSeconds: number): boolean {
  const match = /^(v1\.(\d{1,12})\.[A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match || Number(match[2]) <= nowSeconds) return false;
  const given = Buffer.from(match[3]!);
  return principals.some((principal) => {
    const expected = Buffer.from(mac(match[1]!, signingKey, principal));
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

/**
 * The sign-in flow's state and PKCE verifier, for ten minutes. SameSite=Lax, not Strict: it must come
 * back on the identity provider's redirect, a cross-site navigation.
 */
export const FLOW_COOKIE = 'tactful_signin';
export function flowCookie(value: string, secure: boolean, maxAge = 600): string {
  return `${FLOW_COOKIE}=${value}; Path=/admin/auth; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

/** HttpOnly and SameSite=Strict always; Secure whenever the console is served over https. */
export function sessionCookie(value: string, secure: boolean, maxAge = SESSION_SECONDS): string {
  return `${SESSION_COOKIE}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

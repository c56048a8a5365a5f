import { createHash, createHmac, randomBytes } from 'node:crypto';
import { sameString } from '../apiKeys';

/**
 * A console session is a signed cookie, not a stored record: `v1.<expires>.<nonce>.<who>.<mac>`.
 * `who` names the person (the identity provider's subject) or `key` for an admin-key sign-in; the MAC
 * covers it and how they signed in: for the admin key its hash, so rotating the key signs everyone out.
 */

export const SESSION_COOKIE = 'tactful_admin';
/** Admin-key sessions. Identity-provider sessions are shorter: a disabled account loses access within an hour. */
export const SESSION_SECONDS = 8 * 60 * 60;
export const IDP_SESSION_SECONDS = 60 * 60;

export type SessionPrincipal = { kind: 'key'; adminKey: string } | { kind: 'idp'; subject: string };

const keyHash = (adminKey: string): string => createHash('sha256').update(adminKey).digest('base64url');

function mac(body: string, signingKey: Buffer, basis: string): string {
  return createHmac('sha256', signingKey).update(`tactful.console.v1:${basis}:${body}`).digest('base64url');
}

export function issueSession(signingKey: Buffer, principal: SessionPrincipal, nowSeconds: number, lifetime = principal.kind === 'key' ? SESSION_SECONDS : IDP_SESSION_SECONDS): string {
  const who = principal.kind === 'key' ? 'key' : Buffer.from(principal.subject).toString('base64url');
  const body = `v1.${nowSeconds + lifetime}.${randomBytes(12).toString('base64url')}.${who}`;
  const basis = principal.kind === 'key' ? `key:${keyHash(principal.adminKey)}` : 'idp';
  return `${body}.${mac(body, signingKey, basis)}`;
}

/**
 * Who the session belongs to (`admin-key` or `idp:<subject>`, for the record of who changed what), or
 * undefined when it is malformed, expired, or signed for no accepted way in.
 */
export function sessionActor(value: string | undefined, signingKey: Buffer, accepted: { adminKeys: readonly string[]; idp: boolean }, nowSeconds: number): string | undefined {
  const match = /^(v1\.(\d{1,12})\.[A-Za-z0-9_-]{16}\.([A-Za-z0-9_-]{1,200}))\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match || Number(match[2]) <= nowSeconds) return undefined;
  const [, body, , who, given] = match as unknown as [string, string, string, string, string];
  const bases = who === 'key' ? accepted.adminKeys.map((k) => `key:${keyHash(k)}`) : accepted.idp ? ['idp'] : [];
  const ok = bases.some((basis) => sameString(mac(body, signingKey, basis), given));
  if (!ok) return undefined;
  return who === 'key' ? 'admin-key' : `idp:${Buffer.from(who, 'base64url').toString()}`;
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

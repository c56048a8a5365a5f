import { createHash, createHmac, randomBytes } from 'node:crypto';
import { sameString } from '../../apiKeys';
import { isRole, type Role } from '../../../domain/authoring/roles';
import { header, type HttpRequest } from '../../http';

/**
 * A console session is a signed cookie, not a stored record: `v1.<expires>.<nonce>.<who>.<mac>`.
 * `who` names the person (the identity provider's subject) or `key` for an admin-key sign-in; the MAC
 * covers it and how they signed in: for the admin key its hash, so rotating the key signs everyone out.
 */

export const SESSION_COOKIE = 'tactful_admin';
/** Admin-key sessions. Identity-provider sessions are shorter: a disabled account loses access within an hour. */
export const SESSION_SECONDS = 8 * 60 * 60;
export const IDP_SESSION_SECONDS = 60 * 60;

/** A key sign-in (the admin key or an editor key: the key says which), or an identity provider's account with its role. */
export type SessionPrincipal = { kind: 'key'; adminKey: string } | { kind: 'idp'; subject: string; role?: Role };

/** A session that checks out: who, with which role, and what ends it (its nonce; issued before a "sign out everyone"). */
export interface ConsoleSession {
  actor: string;
  role: Role;
  nonce: string;
  issuedAt: number;
  expiresAt: number;
}

const keyHash = (adminKey: string): string => createHash('sha256').update(adminKey).digest('base64url');

function mac(body: string, signingKey: Buffer, basis: string): string {
  return createHmac('sha256', signingKey).update(`tactful.console.v1:${basis}:${body}`).digest('base64url');
}

export function issueSession(
  signingKey: Buffer,
  principal: SessionPrincipal,
  nowSeconds: number,
  lifetime = principal.kind === 'key' ? SESSION_SECONDS : IDP_SESSION_SECONDS,
): string {
  // The role of an account rides in the signed value; a key's role is the key's own.
  const who = principal.kind === 'key' ? 'key' : Buffer.from(`${principal.subject}\n${principal.role ?? 'viewer'}`).toString('base64url');
  // Expiry in seconds, with milliseconds when there are any (a revocation is told apart to the millisecond).
  const expires = (nowSeconds + lifetime).toFixed(3).replace(/\.?0+$/, '');
  const body = `v1.${expires}.${randomBytes(12).toString('base64url')}.${who}`;
  const basis = principal.kind === 'key' ? `key:${keyHash(principal.adminKey)}` : 'idp';
  return `${body}.${mac(body, signingKey, basis)}`;
}

/**
 * Who the session belongs to (`admin-key` or `idp:<subject>`, for the record of who changed what), or
 * undefined when it is malformed, expired, or signed for no accepted way in.
 */
export function sessionActor(value: string | undefined, signingKey: Buffer, accepted: SessionKeys, nowSeconds: number): string | undefined {
  return readSession(value, signingKey, accepted, nowSeconds)?.actor;
}

/** The ways in a session may have been signed for: publishers' and editors' keys, and the identity provider. */
export interface SessionKeys {
  adminKeys: readonly string[];
  editorKeys?: readonly string[];
  idp: boolean;
}

/** The session's who, role, nonce and times; undefined when malformed, expired, or signed for no accepted way in. */
export function readSession(
  value: string | undefined,
  signingKey: Buffer,
  accepted: SessionKeys,
  nowSeconds: number,
): ConsoleSession | undefined {
  const match = /^(v1\.(\d{1,12}(?:\.\d{1,3})?)\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{1,300}))\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match || Number(match[2]) <= nowSeconds) return undefined;
  const [, body, expires, nonce, who, given] = match as unknown as [string, string, string, string, string, string];
  const expiresAt = Number(expires);
  const signed = (basis: string): boolean => sameString(mac(body, signingKey, basis), given);
  if (who === 'key') {
    const times = { nonce, expiresAt, issuedAt: expiresAt - SESSION_SECONDS };
    if (accepted.adminKeys.some((k) => signed(`key:${keyHash(k)}`))) return { actor: 'admin-key', role: 'publisher', ...times };
    if ((accepted.editorKeys ?? []).some((k) => signed(`key:${keyHash(k)}`))) return { actor: 'editor-key', role: 'editor', ...times };
    return undefined;
  }
  if (!accepted.idp || !signed('idp')) return undefined;
  const decoded = Buffer.from(who, 'base64url').toString();
  const cut = decoded.lastIndexOf('\n');
  const role = cut >= 0 ? decoded.slice(cut + 1) : '';
  const actor = `idp:${cut >= 0 ? decoded.slice(0, cut) : decoded}`;
  return { actor, role: isRole(role) ? role : 'viewer', nonce, expiresAt, issuedAt: expiresAt - IDP_SESSION_SECONDS };
}

/**
 * Sessions run on wall time, as the cookie's Max-Age does (not on the application clock). With
 * milliseconds: a session issued right after a "sign out everyone" must be told from one just before.
 */
export const wallSeconds = (): number => Date.now() / 1000;

/** A cookie of the request, from API Gateway's `cookies` list or (locally) the Cookie header. */
export function cookieOf(request: HttpRequest, name = SESSION_COOKIE): string | undefined {
  for (const cookie of request.cookies ?? []) {
    const value = readCookie(cookie, name);
    if (value) return value;
  }
  return readCookie(header(request, 'cookie'), name);
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

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EmailRef } from '../results/counters';

/**
 * Signed links for unsubscribe and the preference center. A token names the customer (by opaque id,
 * never the address), the scope, when it was issued and which email it is in; it is verified by
 * signature alone, with no database read, so a one-click unsubscribe stays fast and works for old mail.
 */

export interface TokenClaims {
  customerId: string;
  /** A marketing topic, or "all". */
  scope: string;
  /** When the email was sent (seconds). */
  issuedAt: number;
  /**
   * The email the link is in (campaign, step, variant), so an unsubscribe counts for that email in the
   * campaign results. Signed with the rest; links issued before it existed simply lack it.
   */
  email?: EmailRef;
  /**
   * The address the email went to, as linkAddressHash: the preference center shows data, exports and
   * erases only while it is still the customer's address. Links issued before it existed lack it.
   */
  address?: string;
}

/** Mail is opened months later: a link works for this long after it was sent (docs/consent.md). */
export const TOKEN_LIFETIME_SECONDS = 400 * 24 * 3600;

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  constructor(readonly problem: 'malformed' | 'signature' | 'expired') {
    super(`unsubscribe token rejected: ${problem}`);
  }
}

const b64 = (buf: Buffer): string => buf.toString('base64url');

function sign(payload: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(`tactful.v1.${payload}`).digest();
}

export function issueToken(claims: TokenClaims, key: Buffer): string {
  const email = claims.email ? { e: [claims.email.campaignId, claims.email.stepId, claims.email.variant] } : {};
  const address = claims.address ? { a: claims.address } : {};
  const payload = b64(Buffer.from(JSON.stringify({ c: claims.customerId, s: claims.scope, t: claims.issuedAt, ...email, ...address })));
  return `${payload}.${b64(sign(payload, key))}`;
}

export function verifyToken(token: string, key: Buffer, nowSeconds: number): TokenClaims {
  const match = /^([A-Za-z0-9_-]{1,1024})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) throw new InvalidTokenError('malformed');
  const [, payload, signature] = match as unknown as [string, string, string];
  const expected = sign(payload, key);
  const given = Buffer.from(signature, 'base64url');
  // base64url's last character carries unused bits: only the canonical spelling of a token is valid.
  if (b64(given) !== signature || b64(Buffer.from(payload, 'base64url')) !== payload) throw new InvalidTokenError('malformed');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidTokenError('signature');
  let claims: { c?: unknown; s?: unknown; t?: unknown; e?: unknown; a?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError('malformed');
  }
  if (typeof claims.c !== 'string' || typeof claims.s !== 'string' || typeof claims.t !== 'number')
    throw new InvalidTokenError('malformed');
  const e = claims.e;
  if (e !== undefined && !(Array.isArray(e) && e.length === 3 && e.every((part) => typeof part === 'string')))
    throw new InvalidTokenError('malformed');
  const address = claims.a;
  const wellFormed = address === undefined || (typeof address === 'string' && /^[A-Za-z0-9_-]{22}$/.test(address));
  if (!wellFormed) throw new InvalidTokenError('malformed');
  if (nowSeconds - claims.t > TOKEN_LIFETIME_SECONDS) throw new InvalidTokenError('expired');
  const [campaignId, stepId, variant] = (e ?? []) as string[];
  return {
    customerId: claims.c,
    scope: claims.s,
    issuedAt: claims.t,
    ...(e ? { email: { campaignId: campaignId!, stepId: stepId!, variant: variant! } } : {}),
    ...(claims.a !== undefined ? { address: claims.a as string } : {}),
  };
}

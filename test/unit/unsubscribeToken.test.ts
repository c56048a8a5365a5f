import { randomBytes } from 'node:crypto';
import { InvalidTokenError, issueToken, TOKEN_LIFETIME_SECONDS, verifyToken } from '../../functions/domain/consent/unsubscribeToken';
import { linkAddressHash } from '../../functions/domain/consent/addressHash';

const key = randomBytes(32);
const claims = { customerId: 'cust-42', scope: 'cart_reminders', issuedAt: 1_800_000_000 };
const problemOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof InvalidTokenError ? error.problem : 'other';
  }
};

describe('unsubscribe tokens', () => {
  it('verify by signature alone and round-trip their claims', () => {
    expect(verifyToken(issueToken(claims, key), key, claims.issuedAt + 60)).toEqual(claims);
  });

  it('can name the email they are in (for the campaign results), and tokens without it still verify', () => {
    const withEmail = { ...claims, email: { campaignId: 'abandoned-cart', stepId: 'reminder-1', variant: 'default' } };
    expect(verifyToken(issueToken(withEmail, key), key, claims.issuedAt + 60)).toEqual(withEmail);
    expect(verifyToken(issueToken(claims, key), key, claims.issuedAt + 60)).not.toHaveProperty('email');
  });

  it('name the address they were sent to by a keyed hash only, which tells addresses apart and reveals none', () => {
    const address = linkAddressHash('Ada@Example.com ', key);
    expect(address).toBe(linkAddressHash('ada@example.com', key));
    expect(address).not.toBe(linkAddressHash('ada@example.org', key));
    expect(address).not.toBe(linkAddressHash('ada@example.com', randomBytes(32)));
    const token = issueToken({ ...claims, address }, key);
    expect(verifyToken(token, key, claims.issuedAt + 60)).toEqual({ ...claims, address });
    expect(Buffer.from(token.split('.')[0]!, 'base64url').toString()).not.toMatch(/example/i);
    expect(verifyToken(issueToken(claims, key), key, claims.issuedAt + 60)).not.toHaveProperty('address');
  });

  it('carry no email address and are URL-safe', () => {
    expect(issueToken(claims, key)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('refuse tampered, truncated, re-signed and expired tokens', () => {
    const token = issueToken(claims, key);
    const [payload, signature] = token.split('.') as [string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ c: 'someone-else', s: 'all', t: claims.issuedAt })).toString('base64url');
    expect(problemOf(() => verifyToken(`${forgedPayload}.${signature}`, key, claims.issuedAt))).toBe('signature');
    expect(problemOf(() => verifyToken(token.slice(0, -1), key, claims.issuedAt))).toBe('malformed');
    expect(problemOf(() => verifyToken(issueToken(claims, randomBytes(32)), key, claims.issuedAt))).toBe('signature');
    expect(
      problemOf(() => verifyToken(`${payload}.${signature.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'))}`, key, claims.issuedAt)),
    ).toBe('signature');
    expect(problemOf(() => verifyToken(token, key, claims.issuedAt + TOKEN_LIFETIME_SECONDS + 1))).toBe('expired');
  });

  it('accepts only the canonical spelling (base64url’s last character has unused bits)', () => {
    const token = issueToken(claims, key);
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // Same top 4 bits, different padding bits: decodes to the same signature bytes.
    const twin = alphabet[(alphabet.indexOf(last) & ~3) | ((alphabet.indexOf(last) + 1) & 3)]!;
    expect(Buffer.from(token.slice(-43, -1) + twin, 'base64url')).toEqual(Buffer.from(token.slice(-43), 'base64url'));
    expect(problemOf(() => verifyToken(token.slice(0, -1) + twin, key, claims.issuedAt))).toBe('malformed');
  });
});

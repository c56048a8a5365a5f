import { createHmac } from 'node:crypto';

/** A salted (keyed) hash of an address: recognizes an erased person without keeping their address. */
export function addressHash(address: string, key: Buffer): string {
  return createHmac('sha256', key).update(`tactful.address.v1:${address.trim().toLowerCase()}`).digest('base64url');
}

/**
 * The address an email was sent to, as its links name it: keyed, so the token (readable base64) does not
 * reveal or confirm an address, and short (16 bytes), since it only has to tell two addresses apart.
 */
export function linkAddressHash(address: string, key: Buffer): string {
  const mac = createHmac('sha256', key).update(`tactful.link-address.v1:${address.trim().toLowerCase()}`).digest();
  return mac.subarray(0, 16).toString('base64url');
}

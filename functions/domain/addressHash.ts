import { createHmac } from 'node:crypto';

/** A salted (keyed) hash of an address: recognizes an erased person without keeping their address. */
export function addressHash(address: string, key: Buffer): string {
  return createHmac('sha256', key).update(`tactful.address.v1:${address.trim().toLowerCase()}`).digest('base64url');
}

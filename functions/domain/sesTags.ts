/**
 * SES message-tag values allow only letters, digits, '_' and '-': customer ids travel base64url-encoded,
 * so bounce and complaint events name the customer without anyone reading the address.
 */
export const encodeCustomerTag = (customerId: string): string => Buffer.from(customerId, 'utf8').toString('base64url');
export const decodeCustomerTag = (tag: string): string => Buffer.from(tag, 'base64url').toString('utf8');

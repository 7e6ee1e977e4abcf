/**
 * The DeviceConnect request salt, as the vendor defines it:
 * `base64( SHA-256( upper(hex(MD5(customer_id))) + SERVER_HASH ) )`, over the raw SHA-256 digest.
 * MD5 is the vendor's choice, kept for compatibility; the secret part is the SERVER_HASH.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function finboxSalt(customerId: string, serverHash: string): string {
  const md5 = createHash('md5').update(customerId, 'utf8').digest('hex').toUpperCase();
  return createHash('sha256')
    .update(md5 + serverHash, 'utf8')
    .digest('base64');
}

/** Compares in constant time, so the answer's timing says nothing about how close a guess came. */
export function saltMatches(given: string, customerId: string, serverHash: string): boolean {
  return saltEquals(given, Buffer.from(finboxSalt(customerId, serverHash)));
}

/** `given` against an expected salt computed before (see `finboxSalt`), in constant time. */
export function saltEquals(given: string, expected: Buffer): boolean {
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

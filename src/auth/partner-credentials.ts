/**
 * Partner credentials of the credit-indicator API (TD dialect): a public `partner_code` and a
 * secret `partner_key`, both sent in the query string (seeds/td-credit-indicators.txt). The key
 * has the Credence key format with type code `pk` (`crd_pk_...`), so secret scanners recognise a
 * leaked one and a mistyped one is refused without a lookup; it is shown once and stored as a
 * SHA-256 hash. Query strings reach logs and proxies more easily than headers: the request logger
 * masks every query value (src/api/request-id.ts).
 */
import { generateKeyWithCode, isWellFormedApiKey, randomBase62, visibleStart } from './api-key-format.js';

export const PARTNER_KEY_PREFIX = 'crd_pk_';

export const generatePartnerKey = (): string => generateKeyWithCode('pk');

export const isWellFormedPartnerKey = (key: string): boolean =>
  key.startsWith(PARTNER_KEY_PREFIX) && isWellFormedApiKey(key);

export const partnerKeyStart = visibleStart;

/**
 * 3 to 64 of the characters a URL carries unescaped (RFC 3986 "unreserved": letters, digits,
 * `-`, `.`, `_`, `~`), so that a code an integration already uses (`gamma-legacy.1`) can be kept
 * and still sits in the query string as it is.
 */
export const PARTNER_CODE = /^[A-Za-z0-9._~-]{3,64}$/;

/** A new code: the tenant's name and six random characters, `acme_x7Kq2m`. */
export function generatePartnerCode(tenantName: string): string {
  return `${tenantName.slice(0, 50)}_${randomBase62(6)}`;
}

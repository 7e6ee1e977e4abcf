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

/** Letters, digits, `_` and `-`; 3 to 64 characters. */
export const PARTNER_CODE = /^[A-Za-z0-9_-]{3,64}$/;

/** A new code: the tenant's name and six random characters, `acme_x7Kq2m`. */
export function generatePartnerCode(tenantName: string): string {
  return `${tenantName.slice(0, 50)}_${randomBase62(6)}`;
}

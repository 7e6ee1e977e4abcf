/**
 * API key format: `crd_<type>_<32 random base62><version><6-char checksum>`, e.g.
 * `crd_sk_3fJq...Q81x9Tb2K`. The fixed prefix lets secret scanners recognise a leaked key; the
 * trailing version and checksum let us reject a mistyped key without touching the database.
 * Keys are stored only as a SHA-256 hash plus a short visible start.
 */
import { createHash, randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const VERSION = '1';
const RANDOM_CHARS = 32;
const CHECKSUM_CHARS = 6;
const KEY_PATTERN = /^crd_([a-z]{2})_([0-9A-Za-z]{32})([0-9])([0-9A-Za-z]{6})$/;

/** Key type codes: the part after `crd_`. */
export const KEY_TYPE_CODES = {
  server: 'sk',
  device: 'dk',
  'finbox-server': 'fk',
} as const;
/** Admin keys (`crd_ak_...`) are not API keys of a tenant: they live in their own table. */
export const ADMIN_KEY_CODE = 'ak';
export type KeyType = keyof typeof KEY_TYPE_CODES;

export function isKeyType(value: string): value is KeyType {
  return Object.hasOwn(KEY_TYPE_CODES, value);
}

function base62(bytes: Buffer, length: number): string {
  // Rejection sampling keeps every character uniformly distributed.
  let out = '';
  let pool = bytes;
  let i = 0;
  while (out.length < length) {
    if (i >= pool.length) {
      pool = randomBytes(length);
      i = 0;
    }
    const b = pool[i++]!;
    if (b < 248) out += BASE62[b % 62];
  }
  return out;
}

function checksum(body: string): string {
  const digest = createHash('sha256').update(body).digest();
  let n = digest.readUInt32BE(0);
  let out = '';
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function generateApiKey(type: KeyType): string {
  return generateKeyWithCode(KEY_TYPE_CODES[type]);
}

/**
 * A key in the Credence format for any credential: `code` is the two letters after `crd_`
 * (`sk` server keys, `pk` partner keys of the credit-indicator API).
 */
export function generateKeyWithCode(code: string): string {
  if (!/^[a-z]{2}$/.test(code)) throw new Error(`a key type code is two lower-case letters, got "${code}"`);
  const body = `crd_${code}_${base62(randomBytes(48), RANDOM_CHARS)}${VERSION}`;
  return body + checksum(body);
}

/** True when the text has the key shape with this type code and a matching checksum. */
export function isWellFormedSecret(secret: string, code: string): boolean {
  return secret.startsWith(`crd_${code}_`) && isWellFormedApiKey(secret);
}

/** Random base62 text, for identifiers that need no checksum. */
export function randomBase62(length: number): string {
  return base62(randomBytes(length + 16), length);
}

/** True when the text has the shape of a Credence key and its checksum matches. */
export function isWellFormedApiKey(key: string): boolean {
  const m = KEY_PATTERN.exec(key);
  if (!m) return false;
  return checksum(key.slice(0, key.length - CHECKSUM_CHARS)) === m[4];
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The part of a key that may be shown again: the prefix and four random characters. */
export function visibleStart(key: string): string {
  return key.slice(0, 11);
}

export const API_KEY_LENGTH = 'crd_sk_'.length + RANDOM_CHARS + VERSION.length + CHECKSUM_CHARS;

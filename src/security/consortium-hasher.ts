/**
 * Keyed hashes under which the consortium holds loan applications: HMAC-SHA-256 of a person's
 * national id (with its country) and of their phone number (E.164), under a key derived from the
 * deployment secret with HKDF for this purpose alone. The same person gives the same hash in
 * every tenant, which is what lets lenders count each other's applications; the key differs from
 * the blind-index key of the per-tenant identifier tables, so the two can never be joined, and
 * without the secret a hash cannot be tested against a guessed id or phone number.
 */
import { createHmac, hkdfSync } from 'node:crypto';

const INFO = 'credence/consortium/identifier-hash';

export class ConsortiumHasher {
  private readonly keys: Buffer[];

  /** @param masterKeys newest first: the first hashes what is written, all are tried on lookup. */
  constructor(masterKeys: readonly Buffer[]) {
    if (masterKeys.length === 0) throw new Error('at least one secret key is required');
    this.keys = masterKeys.map((m) => Buffer.from(hkdfSync('sha256', m, Buffer.alloc(0), INFO, 32)));
  }

  /** The hash of a national id (compacted: no separators, upper case) issued by `country`. */
  idHash(country: string, nationalId: string): string {
    return this.hash(this.keys[0]!, 'national_id', `${country}:${nationalId}`);
  }

  idHashes(country: string, nationalId: string): string[] {
    return this.keys.map((k) => this.hash(k, 'national_id', `${country}:${nationalId}`));
  }

  /** The hash of a phone number in E.164. */
  phoneHash(e164: string): string {
    return this.hash(this.keys[0]!, 'phone', e164);
  }

  phoneHashes(e164: string): string[] {
    return this.keys.map((k) => this.hash(k, 'phone', e164));
  }

  private hash(key: Buffer, kind: string, value: string): string {
    return createHmac('sha256', key).update(kind).update('\0').update(value).digest('base64url');
  }
}

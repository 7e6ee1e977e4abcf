/**
 * Resolves `partner_code` + `partner_key` to a partner. Like API keys (key-authenticator.ts),
 * answers are cached for at most one second, so a hot partner costs no database round trip and a
 * key that was rotated, or a partner or tenant that was disabled, anywhere, stops working within
 * that second; changes made in this process take effect at once (`forget`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { findPartnerByCode } from '../db/repositories/partner.repository.js';
import type { Database } from '../db/schema.js';
import type { PartnerPrincipal } from '../services/principal.js';
import { isWellFormedPartnerKey, PARTNER_CODE } from './partner-credentials.js';

export const PARTNER_CREDENTIAL_TYPE = 'td-partner';
export const PARTNER_SCOPES: readonly string[] = ['td'];

export type PartnerCheck =
  | { ok: true; partner: PartnerPrincipal }
  | { ok: false; reason: 'missing'; field: 'partner_code' | 'partner_key' }
  | { ok: false; reason: 'invalid' };

interface CacheEntry {
  partnerId: string | null;
  partner: PartnerPrincipal | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

export class PartnerAuthenticator {
  private readonly cache: LRUCache<string, CacheEntry>;

  constructor(
    private readonly db: Kysely<Database>,
    options: { ttlMs?: number; maxEntries?: number } = {},
  ) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 50_000, ttl: options.ttlMs ?? 1000 });
  }

  async check(code: string | undefined, key: string | undefined): Promise<PartnerCheck> {
    const c = code?.trim() ?? '';
    const k = key?.trim() ?? '';
    if (c === '') return { ok: false, reason: 'missing', field: 'partner_code' };
    if (k === '') return { ok: false, reason: 'missing', field: 'partner_key' };
    const cacheKey = `${c}\u0000${k}`;
    let entry = this.cache.get(cacheKey);
    if (!entry) {
      entry = await this.load(c, k);
      this.cache.set(cacheKey, entry);
    }
    return entry.partner ? { ok: true, partner: entry.partner } : { ok: false, reason: 'invalid' };
  }

  /** Forgets a partner at once (after its key was rotated or it was disabled in this process). */
  forget(partnerId: string): void {
    for (const [k, entry] of this.cache.entries()) if (entry.partnerId === partnerId) this.cache.delete(k);
  }

  private async load(code: string, key: string): Promise<CacheEntry> {
    // A key that fails its checksum was never issued, and a code of the wrong shape never made.
    if (!PARTNER_CODE.test(code) || !isWellFormedPartnerKey(key)) return { partnerId: null, partner: null };
    const row = await findPartnerByCode(this.db, code);
    if (!row) return { partnerId: null, partner: null };
    const stored = Buffer.from(row.key_hash, 'hex');
    const given = sha256(key);
    if (stored.length !== given.length || !timingSafeEqual(stored, given)) {
      return { partnerId: row.id, partner: null };
    }
    if (row.disabled_at !== null || row.tenant_disabled_at !== null)
      return { partnerId: row.id, partner: null };
    return {
      partnerId: row.id,
      partner: {
        tenantId: row.tenant_id,
        clientId: row.client_id,
        credentialId: row.id,
        credentialType: PARTNER_CREDENTIAL_TYPE,
        scopes: PARTNER_SCOPES,
        partnerId: row.id,
        partnerCode: row.code,
        countries: JSON.parse(row.countries) as string[],
      },
    };
  }
}

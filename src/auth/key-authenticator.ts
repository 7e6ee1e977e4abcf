/**
 * Resolves an API key to a principal. Lookups are cached in memory for at most one second, so a
 * hot key costs no database round trip, and a key revoked anywhere (another process, the CLI)
 * stops working within that second; revocations made in this process take effect at once.
 */
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { findApiKeyByHash } from '../db/repositories/api-key.repository.js';
import type { Database } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import type { Principal } from '../services/principal.js';
import { hashApiKey, isWellFormedApiKey } from './api-key-format.js';
import { blockListOf } from './ip-allowlist.js';

export type KeyCheck =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'missing' | 'invalid' }
  /** A good key of a type this API does not take (a device key on the native API). */
  | { ok: false; reason: 'wrong-type'; type: string };

interface CacheEntry {
  hash: string;
  principal: Principal | null;
  expiresAt: number | null;
}

export interface KeyAuthenticatorOptions {
  ttlMs?: number;
  maxEntries?: number;
}

export class KeyAuthenticator {
  private readonly cache: LRUCache<string, CacheEntry>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    options: KeyAuthenticatorOptions = {},
  ) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 50_000, ttl: options.ttlMs ?? 1000 });
  }

  async check(rawKey: string | undefined, allowedTypes: readonly string[] = ['server']): Promise<KeyCheck> {
    const cached = this.checkCached(rawKey, allowedTypes);
    if (cached) return cached;
    const key = rawKey!.trim();
    // A key that fails its checksum was never issued: no need to ask the database.
    if (!isWellFormedApiKey(key)) return { ok: false, reason: 'invalid' };
    const entry = await this.load(hashApiKey(key));
    this.cache.set(key, entry);
    return this.judge(entry, allowedTypes);
  }

  /** The answer from the cache alone, or undefined when the database must be asked. */
  checkCached(
    rawKey: string | undefined,
    allowedTypes: readonly string[] = ['server'],
  ): KeyCheck | undefined {
    if (rawKey === undefined) return { ok: false, reason: 'missing' };
    const key = rawKey.trim();
    if (key === '') return { ok: false, reason: 'missing' };
    // Keyed by the key itself, so a hit costs no hashing; the cache lives only in this process.
    const entry = this.cache.get(key);
    return entry ? this.judge(entry, allowedTypes) : undefined;
  }

  private judge(entry: CacheEntry, allowedTypes: readonly string[]): KeyCheck {
    const p = entry.principal;
    if (!p) return { ok: false, reason: 'invalid' };
    if (entry.expiresAt !== null && this.clock.now().getTime() >= entry.expiresAt)
      return { ok: false, reason: 'invalid' };
    if (!allowedTypes.includes(p.credentialType))
      return { ok: false, reason: 'wrong-type', type: p.credentialType };
    return { ok: true, principal: p };
  }

  /** Forgets a key at once (called, with its hash, when this process revokes it). */
  forget(hash: string): void {
    for (const [key, entry] of this.cache.entries()) if (entry.hash === hash) this.cache.delete(key);
  }

  private async load(hash: string): Promise<CacheEntry> {
    const row = await findApiKeyByHash(this.db, hash);
    if (!row || row.revoked_at !== null || row.tenant_disabled_at !== null) {
      return { hash, principal: null, expiresAt: null };
    }
    return {
      hash,
      principal: {
        tenantId: row.tenant_id,
        clientId: row.client_id,
        credentialId: row.id,
        credentialType: row.type,
        scopes: JSON.parse(row.scopes) as string[],
        ipAllow: row.ip_allow ? blockListOf(JSON.parse(row.ip_allow) as string[]) : null,
        rateLimit: row.rate_limit,
      },
      expiresAt: row.expires_at ? Date.parse(row.expires_at) : null,
    };
  }
}

/**
 * Admin keys: the operator's credential for /api/v1/admin and the console. An admin key belongs to
 * no tenant and manages all of them, so it is kept apart from tenants' API keys (its own table and
 * its own `crd_ak_` prefix): a tenant key can never be mistaken for one, nor one for a tenant key.
 */
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import {
  ADMIN_KEY_CODE,
  generateKeyWithCode,
  hashApiKey,
  isWellFormedSecret,
  visibleStart,
} from '../auth/api-key-format.js';
import {
  findAdminKeyByHash,
  findAdminKeyById,
  insertAdminKey,
  listAdminKeys,
  revokeAdminKey,
} from '../db/repositories/admin-key.repository.js';
import type { AdminKeyRow, Database } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { audit } from './audit.js';

export interface AdminKeyInfo {
  id: string;
  name: string | null;
  start: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedAdminKey extends AdminKeyInfo {
  /** The key itself: shown this once, never stored. */
  key: string;
}

const toInfo = (r: AdminKeyRow): AdminKeyInfo => ({
  id: r.id,
  name: r.name,
  start: r.start,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export class AdminKeyService {
  // Like tenant keys (src/auth/key-authenticator.ts): trusted for a second, so a key revoked in
  // another process stops working within that second.
  private readonly cache: LRUCache<string, { id: string } | false>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    ttlMs = 1000,
  ) {
    this.cache = new LRUCache({ max: 1000, ttl: ttlMs });
  }

  async create(name?: string, actor = 'cli'): Promise<CreatedAdminKey> {
    const key = generateKeyWithCode(ADMIN_KEY_CODE);
    const row: AdminKeyRow = {
      id: newId('adk'),
      name: name ?? null,
      start: visibleStart(key),
      hash: hashApiKey(key),
      created_at: this.clock.now().toISOString(),
      revoked_at: null,
    };
    await insertAdminKey(this.db, row);
    await audit(this.db, this.clock, {
      tenantId: null,
      actor,
      action: 'admin_key.create',
      targetType: 'admin_key',
      targetId: row.id,
    });
    return { ...toInfo(row), key };
  }

  async list(): Promise<AdminKeyInfo[]> {
    return (await listAdminKeys(this.db)).map(toInfo);
  }

  /** Revokes an admin key named by its id (`adk_...`) or by the key itself (`crd_ak_...`). */
  async revoke(ref: string, actor = 'cli'): Promise<AdminKeyInfo> {
    const row = ref.startsWith('adk_')
      ? await findAdminKeyById(this.db, ref)
      : await findAdminKeyByHash(this.db, hashApiKey(ref.trim()));
    if (!row) throw notFound('admin key', ref.startsWith('adk_') ? ref : visibleStart(ref));
    const id = row.id;
    await revokeAdminKey(this.db, id, this.clock.now().toISOString());
    await audit(this.db, this.clock, {
      tenantId: null,
      actor,
      action: 'admin_key.revoke',
      targetType: 'admin_key',
      targetId: id,
    });
    this.cache.clear();
    return toInfo((await findAdminKeyById(this.db, id))!);
  }

  /** The id of the admin key, or null when the text is not a live admin key. */
  async check(rawKey: string | undefined): Promise<string | null> {
    const key = rawKey?.trim();
    if (!key || !isWellFormedSecret(key, ADMIN_KEY_CODE)) return null;
    let entry = this.cache.get(key);
    if (entry === undefined) {
      const row = await findAdminKeyByHash(this.db, hashApiKey(key));
      entry = row && row.revoked_at === null ? { id: row.id } : false;
      this.cache.set(key, entry);
    }
    return entry ? entry.id : null;
  }
}

/**
 * DeviceConnect server keys: an API key of type `finbox-server` plus its own SERVER_HASH (the
 * secret the request salt is computed with, shown once at creation), an optional IP allowlist
 * (CIDR blocks; none means every address) and an optional webhook URL.
 */
import { randomBytes } from 'node:crypto';
import type { BlockList } from 'node:net';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { blockListOf } from '../../auth/ip-allowlist.js';
import { findFinboxServerKey, insertFinboxServerKey } from '../../db/repositories/finbox-key.repository.js';
import type { Database } from '../../db/schema.js';
import { invalidInput } from '../../domain/errors.js';
import { finboxSalt, saltEquals } from '../../domain/finbox/salt.js';
import type { Clock } from '../../lib/clock.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import type { WebhookService } from '../../webhooks/webhook-service.js';
import type { ApiKeyService, CreatedApiKey } from '../api-key-service.js';

export interface ServerKeyExtras {
  serverHash: string;
  /** Null: every address is allowed. */
  allow: BlockList | null;
}

export interface CreatedServerKey extends CreatedApiKey {
  serverHash: string;
  ipAllow: string[] | null;
  webhookUrl: string | null;
  /**
   * The client's webhook secret when this key's webhook made it (shown this once), else null: the
   * client had one already. It signs the webhooks and their salt is computed with it.
   */
  webhookSecret: string | null;
}

export class FinboxKeyService {
  private readonly cache = new LRUCache<string, ServerKeyExtras | false>({ max: 10_000, ttl: 60_000 });
  /** Expected salts by key and customer: a repeated request costs a lookup instead of two hashes. */
  private readonly salts = new LRUCache<string, Buffer>({ max: 50_000 });

  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
    private readonly clock: Clock,
    private readonly apiKeys: ApiKeyService,
    private readonly webhooks: WebhookService,
  ) {}

  async create(o: {
    tenant: string;
    client?: string | undefined;
    name?: string | undefined;
    ipAllow?: readonly string[] | undefined;
    webhookUrl?: string | undefined;
    expiresAt?: string | undefined;
    /** Requests per second on the DeviceConnect API; absent for CREDENCE_FINBOX_RATE_LIMIT. */
    rateLimit?: number | undefined;
    /** Refused when given: the DeviceConnect API has no scopes. */
    scopes?: readonly string[] | undefined;
  }): Promise<CreatedServerKey> {
    const ipAllow = o.ipAllow && o.ipAllow.length > 0 ? [...o.ipAllow] : null;
    if (ipAllow) blockListOf(ipAllow);
    if (o.webhookUrl) {
      const problem = this.webhooks.urlProblem(o.webhookUrl);
      if (problem) throw invalidInput('webhook_url', `webhook ${problem}`);
    }
    const prepared = await this.apiKeys.prepare({
      tenant: o.tenant,
      client: o.client,
      name: o.name,
      type: 'finbox-server',
      expiresAt: o.expiresAt,
      rateLimit: o.rateLimit,
      scopes: o.scopes,
    });
    const key = prepared.created;
    // 32 hex digits, the shape of the vendor's SERVER_HASH.
    const serverHash = randomBytes(16).toString('hex');
    // The key and its SERVER_HASH are stored together or not at all: a key stored without its
    // hash would be issued yet refused on every request.
    await this.db.transaction().execute(async (trx) => {
      await this.apiKeys.store(prepared, trx);
      await insertFinboxServerKey(trx, {
        api_key_id: key.id,
        tenant_id: key.tenantId,
        server_hash: this.cipher.encrypt(serverHash),
        ip_allow: ipAllow ? JSON.stringify(ipAllow) : null,
        webhook_url: o.webhookUrl ? this.cipher.encrypt(o.webhookUrl) : null,
        created_at: this.clock.now().toISOString(),
      });
    });
    const webhookSecret = o.webhookUrl
      ? await this.webhooks.ensureSecret(key.tenantId, key.clientId)
      : undefined;
    return {
      ...key,
      serverHash,
      ipAllow,
      webhookUrl: o.webhookUrl ?? null,
      webhookSecret: webhookSecret ?? null,
    };
  }

  /** Whether a request's salt is the one the key's SERVER_HASH gives for the customer. */
  saltMatches(apiKeyId: string, extras: ServerKeyExtras, customerId: string, given: string): boolean {
    const key = `${apiKeyId}\u0000${customerId}`;
    let expected = this.salts.get(key);
    if (!expected) {
      expected = Buffer.from(finboxSalt(customerId, extras.serverHash));
      this.salts.set(key, expected);
    }
    return saltEquals(given, expected);
  }

  /**
   * What `extras` would answer, from the cache alone: `false` for a key made without them,
   * undefined when the database must be asked.
   */
  cachedExtras(apiKeyId: string): ServerKeyExtras | false | undefined {
    return this.cache.get(apiKeyId);
  }

  /** The key's SERVER_HASH and allowlist; undefined for a key made without them. */
  async extras(apiKeyId: string): Promise<ServerKeyExtras | undefined> {
    const cached = this.cachedExtras(apiKeyId);
    if (cached !== undefined) return cached || undefined;
    const row = await findFinboxServerKey(this.db, apiKeyId);
    const extras: ServerKeyExtras | false = row
      ? {
          serverHash: this.cipher.decrypt(row.server_hash),
          allow: row.ip_allow ? blockListOf(JSON.parse(row.ip_allow) as string[]) : null,
        }
      : false;
    this.cache.set(apiKeyId, extras);
    return extras || undefined;
  }
}

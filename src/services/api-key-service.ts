/** API keys: created for a client of a tenant, shown once, stored as a hash, revocable. */
import type { Kysely } from 'kysely';
import { generateApiKey, hashApiKey, isKeyType, type KeyType, visibleStart } from '../auth/api-key-format.js';
import { ALL_SCOPES, isValidScope } from '../auth/scopes.js';
import {
  findApiKeyByHash,
  findApiKeyById,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
} from '../db/repositories/api-key.repository.js';
import type { ApiKeyRow, Database } from '../db/schema.js';
import { invalidInput, notFound } from '../domain/errors.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { audit } from './audit.js';
import { DEFAULT_CLIENT, type TenantService } from './tenant-service.js';

export interface ApiKeyInfo {
  id: string;
  tenantId: string;
  clientId: string;
  type: string;
  name: string | null;
  start: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyInfo {
  /** The key itself: shown this once, never stored. */
  key: string;
}

export interface CreateKeyOptions {
  tenant: string;
  client?: string | undefined;
  type?: string | undefined;
  name?: string | undefined;
  scopes?: readonly string[] | undefined;
  expiresAt?: string | undefined;
  actor?: string | undefined;
}

export const toApiKeyInfo = (r: ApiKeyRow): ApiKeyInfo => ({
  id: r.id,
  tenantId: r.tenant_id,
  clientId: r.client_id,
  type: r.type,
  name: r.name,
  start: r.start,
  scopes: JSON.parse(r.scopes) as string[],
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export class ApiKeyService {
  /** Called with the key's hash after a revocation, so caches in this process forget it at once. */
  onRevoke: ((hash: string) => void) | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly tenants: TenantService,
  ) {}

  async create(o: CreateKeyOptions): Promise<CreatedApiKey> {
    const tenant = await this.tenants.get(o.tenant);
    const type = o.type ?? 'server';
    if (!isKeyType(type)) throw invalidInput('type', `unknown key type "${type}"`);
    const scopes = o.scopes && o.scopes.length > 0 ? [...o.scopes] : [ALL_SCOPES];
    for (const s of scopes) if (!isValidScope(s)) throw invalidInput('scopes', `"${s}" is not a valid scope`);
    if (o.expiresAt !== undefined && Number.isNaN(Date.parse(o.expiresAt))) {
      throw invalidInput('expires', `"${o.expiresAt}" is not a date`);
    }
    const client = await this.tenants.client(tenant.id, o.client ?? DEFAULT_CLIENT);
    const key = generateApiKey(type as KeyType);
    const row: ApiKeyRow = {
      id: newId('key'),
      tenant_id: tenant.id,
      client_id: client.id,
      type,
      name: o.name ?? null,
      start: visibleStart(key),
      hash: hashApiKey(key),
      scopes: JSON.stringify(scopes),
      created_at: this.clock.now().toISOString(),
      expires_at: o.expiresAt ? new Date(o.expiresAt).toISOString() : null,
      revoked_at: null,
    };
    await insertApiKey(this.db, row);
    await audit(this.db, this.clock, {
      tenantId: tenant.id,
      actor: o.actor ?? 'cli',
      action: 'api_key.create',
      targetType: 'api_key',
      targetId: row.id,
      details: { type, scopes },
    });
    return { ...toApiKeyInfo(row), key };
  }

  async list(tenantRef: string): Promise<ApiKeyInfo[]> {
    const tenant = await this.tenants.get(tenantRef);
    return (await listApiKeys(this.db, tenant.id)).map(toApiKeyInfo);
  }

  /** Revokes a key named by its id or by the key itself. */
  async revoke(ref: string, actor = 'cli'): Promise<ApiKeyInfo> {
    const row = ref.startsWith('key_')
      ? await findApiKeyById(this.db, ref)
      : await findApiKeyByHash(this.db, hashApiKey(ref));
    if (!row) throw notFound('API key', ref.startsWith('key_') ? ref : visibleStart(ref));
    const at = this.clock.now().toISOString();
    await revokeApiKey(this.db, row.id, at);
    await audit(this.db, this.clock, {
      tenantId: row.tenant_id,
      actor,
      action: 'api_key.revoke',
      targetType: 'api_key',
      targetId: row.id,
    });
    this.onRevoke?.(row.hash);
    const fresh = await findApiKeyById(this.db, row.id);
    return toApiKeyInfo(fresh!);
  }
}

import type { Kysely } from 'kysely';
import type { ApiKeyRow, Database } from '../schema.js';

type Db = Kysely<Database>;

export interface ApiKeyWithTenant extends ApiKeyRow {
  tenant_disabled_at: string | null;
}

export async function insertApiKey(db: Db, row: ApiKeyRow): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export async function findApiKeyByHash(db: Db, hash: string): Promise<ApiKeyWithTenant | undefined> {
  return db
    .selectFrom('api_keys')
    .innerJoin('tenants', 'tenants.id', 'api_keys.tenant_id')
    .selectAll('api_keys')
    .select('tenants.disabled_at as tenant_disabled_at')
    .where('api_keys.hash', '=', hash)
    .executeTakeFirst();
}

/**
 * Keys as they are shown: a FinBox server key's IP allowlist is kept beside its server hash
 * (finbox_server_keys), and is its `ip_allow` here.
 */
const shownKeys = (db: Db) =>
  db
    .selectFrom('api_keys')
    .leftJoin('finbox_server_keys', 'finbox_server_keys.api_key_id', 'api_keys.id')
    .select([
      'api_keys.id',
      'api_keys.tenant_id',
      'api_keys.client_id',
      'api_keys.type',
      'api_keys.name',
      'api_keys.start',
      'api_keys.hash',
      'api_keys.scopes',
      'api_keys.created_at',
      'api_keys.expires_at',
      'api_keys.revoked_at',
      'api_keys.rate_limit',
    ])
    .select((eb) => eb.fn.coalesce('api_keys.ip_allow', 'finbox_server_keys.ip_allow').as('ip_allow'));

export async function findApiKeyById(db: Db, id: string): Promise<ApiKeyRow | undefined> {
  return shownKeys(db).where('api_keys.id', '=', id).executeTakeFirst();
}

export async function listApiKeys(db: Db, tenantId: string): Promise<ApiKeyRow[]> {
  return shownKeys(db).where('api_keys.tenant_id', '=', tenantId).orderBy('api_keys.created_at').execute();
}

/** Marks a key revoked; returns false when it was already revoked or does not exist. */
export async function revokeApiKey(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function updateApiKey(
  db: Db,
  id: string,
  set: Partial<Pick<ApiKeyRow, 'scopes' | 'ip_allow' | 'rate_limit'>>,
): Promise<void> {
  await db.updateTable('api_keys').set(set).where('id', '=', id).execute();
}

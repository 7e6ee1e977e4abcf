import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { FinboxServerKeyRow } from '../schema-device.js';

type Db = Kysely<Database>;

export async function insertFinboxServerKey(db: Db, row: FinboxServerKeyRow): Promise<void> {
  await db.insertInto('finbox_server_keys').values(row).execute();
}

export async function findFinboxServerKey(db: Db, apiKeyId: string): Promise<FinboxServerKeyRow | undefined> {
  return db
    .selectFrom('finbox_server_keys')
    .selectAll()
    .where('api_key_id', '=', apiKeyId)
    .executeTakeFirst();
}

/** The tenant's live server keys that have a webhook, with the client whose secret signs it. */
export async function listWebhookKeys(db: Db, tenantId: string, now: string) {
  return db
    .selectFrom('finbox_server_keys')
    .innerJoin('api_keys', 'api_keys.id', 'finbox_server_keys.api_key_id')
    .select(['finbox_server_keys.api_key_id', 'finbox_server_keys.webhook_url', 'api_keys.client_id'])
    .where('finbox_server_keys.tenant_id', '=', tenantId)
    .where('finbox_server_keys.webhook_url', 'is not', null)
    .where('api_keys.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_keys.expires_at', 'is', null), eb('api_keys.expires_at', '>', now)]))
    .execute();
}

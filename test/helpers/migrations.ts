/**
 * For the tests of one migration: a database migrated up to the one before it, and the rows an
 * OAuth client needs (a tenant and its application), written as that older schema holds them.
 */
import type { Kysely } from 'kysely';
import type { DatabaseEngine } from '../../src/config.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrateUpTo } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export async function databaseUpTo(
  engine: DatabaseEngine,
  migration: string,
): Promise<{ tdb: TestDatabase; handle: DatabaseHandle }> {
  const tdb = await createTestDatabase(engine);
  const handle = openDatabase(tdb.config.database);
  await migrateUpTo(handle, migration);
  return { tdb, handle };
}

/** Tenant `ten_1` with its application `cli_1`. */
export async function tenantWithApplication(db: Kysely<Database>, now: string): Promise<void> {
  await db
    .insertInto('tenants')
    .values({ id: 'ten_1', name: 'acme', created_at: now } as never)
    .execute();
  await db
    .insertInto('clients')
    .values({ id: 'cli_1', tenant_id: 'ten_1', name: 'default', created_at: now })
    .execute();
}

/** An OAuth client `id` of `cli_1`, as the schema before its ID-token algorithm held it. */
export async function insertOAuthClient(db: Kysely<Database>, id: string, now: string): Promise<void> {
  await db
    .insertInto('oauth_clients')
    .values({
      id,
      tenant_id: 'ten_1',
      client_id: 'cli_1',
      name: null,
      secret_start: 'crd_cs_x',
      secret_hash: 'h',
      grants: '["client_credentials"]',
      scopes: '["*"]',
      created_at: now,
      revoked_at: null,
      jwks: null,
    } as never)
    .execute();
}

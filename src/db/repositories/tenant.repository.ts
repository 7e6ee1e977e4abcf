import type { Kysely } from 'kysely';
import type { ClientRow, Database, TenantRow } from '../schema.js';

type Db = Kysely<Database>;

export async function insertTenant(db: Db, row: TenantRow): Promise<void> {
  await db.insertInto('tenants').values(row).execute();
}

/** A tenant by id or by name. */
export async function findTenant(db: Db, ref: string): Promise<TenantRow | undefined> {
  return db
    .selectFrom('tenants')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)]))
    .executeTakeFirst();
}

export async function listTenants(db: Db): Promise<TenantRow[]> {
  return db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function insertClient(db: Db, row: ClientRow): Promise<void> {
  await db.insertInto('clients').values(row).execute();
}

export async function findClientByName(
  db: Db,
  tenantId: string,
  name: string,
): Promise<ClientRow | undefined> {
  return db
    .selectFrom('clients')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function listClients(db: Db, tenantId: string): Promise<ClientRow[]> {
  return db
    .selectFrom('clients')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .execute();
}

import type { Kysely } from 'kysely';
import type { ActiveModelTable, Database, ModelRow } from '../schema.js';

type Db = Kysely<Database>;

/** The scope of the defaults that every tenant falls back to. */
export const DEFAULT_SCOPE = '*';

export async function insertModel(db: Db, row: ModelRow): Promise<void> {
  await db.insertInto('models').values(row).execute();
}

/** A model the tenant may see: its own, or a starter model. */
export async function findVisibleModel(
  db: Db,
  tenantId: string | null,
  id: string,
): Promise<ModelRow | undefined> {
  return db
    .selectFrom('models')
    .selectAll()
    .where('id', '=', id)
    .where((eb) =>
      tenantId === null
        ? eb('tenant_id', 'is', null)
        : eb.or([eb('tenant_id', '=', tenantId), eb('tenant_id', 'is', null)]),
    )
    .executeTakeFirst();
}

/** Any model by id; for runs, whose model the tenant was entitled to when it scored them. */
export async function findModelById(db: Db, id: string): Promise<ModelRow | undefined> {
  return db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findModelByChecksum(
  db: Db,
  tenantId: string | null,
  service: string,
  checksum: string,
): Promise<ModelRow | undefined> {
  return db
    .selectFrom('models')
    .selectAll()
    .where((eb) => (tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', tenantId)))
    .where('service', '=', service)
    .where('checksum', '=', checksum)
    .executeTakeFirst();
}

export async function listVisibleModels(
  db: Db,
  tenantId: string | null,
  service?: string,
): Promise<ModelRow[]> {
  let q = db
    .selectFrom('models')
    .selectAll()
    .where((eb) =>
      tenantId === null
        ? eb('tenant_id', 'is', null)
        : eb.or([eb('tenant_id', '=', tenantId), eb('tenant_id', 'is', null)]),
    );
  if (service) q = q.where('service', '=', service);
  return q.orderBy('service').orderBy('created_at').orderBy('id').execute();
}

export async function nextModelVersion(db: Db, tenantId: string | null, service: string): Promise<number> {
  const r = await db
    .selectFrom('models')
    .select((eb) => eb.fn.max('version').as('v'))
    .where((eb) => (tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', tenantId)))
    .where('service', '=', service)
    .executeTakeFirst();
  return Number(r?.v ?? 0) + 1;
}

export async function findActiveModelId(
  db: Db,
  scope: string,
  service: string,
  role: string,
): Promise<string | undefined> {
  const r = await db
    .selectFrom('active_models')
    .select('model_id')
    .where('scope', '=', scope)
    .where('service', '=', service)
    .where('role', '=', role)
    .executeTakeFirst();
  return r?.model_id;
}

export async function listActivations(db: Db, scopes: readonly string[]): Promise<ActiveModelTable[]> {
  return db.selectFrom('active_models').selectAll().where('scope', 'in', scopes).execute();
}

export async function setActiveModel(db: Db, row: ActiveModelTable): Promise<void> {
  await db
    .insertInto('active_models')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['scope', 'service', 'role'])
        .doUpdateSet({ model_id: row.model_id, activated_at: row.activated_at }),
    )
    .execute();
}

/** Ends `role` for a service in a scope if `modelId` holds it. */
export async function clearActiveModel(
  db: Db,
  where: { scope: string; service: string; role: string; modelId: string },
): Promise<void> {
  await db
    .deleteFrom('active_models')
    .where('scope', '=', where.scope)
    .where('service', '=', where.service)
    .where('role', '=', where.role)
    .where('model_id', '=', where.modelId)
    .execute();
}

/** Every activation of every scope, each with its model: what the start checks. */
export async function listActivatedModels(db: Db): Promise<(ModelRow & { scope: string; role: string })[]> {
  return db
    .selectFrom('active_models')
    .innerJoin('models', 'models.id', 'active_models.model_id')
    .selectAll('models')
    .select(['active_models.scope', 'active_models.role'])
    .orderBy('active_models.scope')
    .orderBy('models.service')
    .orderBy('active_models.role')
    .execute();
}

import type { Kysely } from 'kysely';
import type { Database, IdempotencyKeyTable } from '../schema.js';

type Db = Kysely<Database>;

export async function findIdempotencyKey(
  db: Db,
  tenantId: string,
  key: string,
): Promise<IdempotencyKeyTable | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** Claims a key for a request that is starting; false when another request holds it already. */
export async function claimIdempotencyKey(
  db: Db,
  row: Pick<IdempotencyKeyTable, 'tenant_id' | 'key' | 'request_hash' | 'created_at'>,
): Promise<boolean> {
  const r = await db
    .insertInto('idempotency_keys')
    .values({ ...row, status_code: null, response_body: null, content_type: null, subject_id: null })
    .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function completeIdempotencyKey(
  db: Db,
  tenantId: string,
  key: string,
  response: Pick<IdempotencyKeyTable, 'status_code' | 'response_body' | 'content_type' | 'subject_id'>,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set(response)
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .execute();
}

export async function releaseIdempotencyKey(db: Db, tenantId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('tenant_id', '=', tenantId).where('key', '=', key).execute();
}

export async function deleteIdempotencyKeysBefore(db: Db, before: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
}

/** Deletes the kept responses about a subject (its erasure). */
export async function deleteSubjectIdempotencyKeys(
  db: Db,
  tenantId: string,
  subjectId: string,
): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .execute();
}

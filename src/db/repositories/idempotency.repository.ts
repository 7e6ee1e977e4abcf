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

/** A claim: the key and when it was claimed, which tells one claim of the key from a later one. */
export interface IdempotencyClaim {
  tenantId: string;
  key: string;
  createdAt: string;
}

/** Keeps the response of a claim's request; nothing when the claim is no longer there. */
export async function completeIdempotencyKey(
  db: Db,
  claim: IdempotencyClaim,
  response: Pick<IdempotencyKeyTable, 'status_code' | 'response_body' | 'content_type' | 'subject_id'>,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set(response)
    .where('tenant_id', '=', claim.tenantId)
    .where('key', '=', claim.key)
    .where('created_at', '=', claim.createdAt)
    .execute();
}

/**
 * Deletes a claim, and only that one: a key released by two requests at once (both found it
 * expired) must not lose the claim the first of them made again in between.
 */
export async function releaseIdempotencyKey(db: Db, claim: IdempotencyClaim): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('tenant_id', '=', claim.tenantId)
    .where('key', '=', claim.key)
    .where('created_at', '=', claim.createdAt)
    .execute();
}

export async function deleteIdempotencyKeysBefore(db: Db, before: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
}

/**
 * Deletes the kept responses about a subject, or about anything else of a person's that their
 * erasure deletes (the applications reported to the consortium), by the ids routes marked them with.
 */
export async function deleteIdempotencyKeysAbout(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('idempotency_keys')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', 'in', ids as string[])
    .execute();
}

/**
 * Making a transaction the only writer of one row before it reads what it will delete, or of one
 * kind of change (`serializeOn`), on either engine. PostgreSQL locks the row FOR UPDATE: a second transaction waits, then finds it gone, and
 * inserts that reference the row (their foreign key check) wait too, so nothing is added to what
 * was counted. SQLite has one writer at a time: a write as the transaction's first statement makes
 * it that writer at once, so no other connection commits between its reads and its deletes.
 */
import { type Kysely, sql } from 'kysely';
import type { DatabaseEngine } from '../config.js';
import type { Database } from './schema.js';

/** Locks the tenant's subject for the rest of the transaction; false when there is none. */
export async function lockSubject(
  trx: Kysely<Database>,
  engine: DatabaseEngine,
  tenantId: string,
  id: string,
): Promise<boolean> {
  if (engine === 'postgres') {
    const row = await trx
      .selectFrom('subjects')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row !== undefined;
  }
  const r = await trx
    .updateTable('subjects')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * Makes transactions that name the same `key` run one after the other, from the point this is
 * called to their end: a PostgreSQL advisory lock; on SQLite, a write that changes nothing but
 * makes the transaction the only writer at once.
 */
export async function serializeOn(trx: Kysely<Database>, engine: DatabaseEngine, key: string): Promise<void> {
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
  else await sql`update models set id = id where 0 = 1`.execute(trx);
}

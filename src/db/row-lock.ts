/**
 * Making a transaction the only writer of one row before it reads what it will delete, on either
 * engine. PostgreSQL locks the row FOR UPDATE: a second transaction waits, then finds it gone, and
 * inserts that reference the row (their foreign key check) wait too, so nothing is added to what
 * was counted. SQLite has one writer at a time: a write as the transaction's first statement makes
 * it that writer at once, so no other connection commits between its reads and its deletes.
 */
import type { Kysely } from 'kysely';
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

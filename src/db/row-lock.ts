/**
 * Making a transaction the only writer of one row before it reads what it will delete, or of one
 * kind of change (`serializeOn`), on either engine. PostgreSQL locks the row FOR UPDATE (a second
 * transaction waits, then finds it gone, and inserts that reference the row wait too, so nothing is
 * added to what was counted), or takes an advisory lock. On SQLite there is nothing more to take:
 * a transaction holds the database's one write lock from its start (database.ts, `begin immediate`).
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Database } from './schema.js';

/** Whether `db` (a database or a transaction) runs on PostgreSQL. */
export const onPostgres = <DB>(db: Kysely<DB>): boolean =>
  db.getExecutor().adapter instanceof PostgresAdapter;

/** Locks the tenant's subject for the rest of the transaction; false when there is none. */
export async function lockSubject(trx: Kysely<Database>, tenantId: string, id: string): Promise<boolean> {
  let query = trx.selectFrom('subjects').select('id').where('tenant_id', '=', tenantId).where('id', '=', id);
  if (onPostgres(trx)) query = query.forUpdate();
  return (await query.executeTakeFirst()) !== undefined;
}

/** Makes transactions that name the same `key` run one after the other, from here to their end. */
export async function serializeOn(trx: Kysely<Database>, key: string): Promise<void> {
  if (onPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}

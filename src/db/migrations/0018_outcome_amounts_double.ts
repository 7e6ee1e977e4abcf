import { type Kysely, sql } from 'kysely';
import { onPostgres } from '../row-lock.js';

/**
 * Outcome amounts as doubles on PostgreSQL too. They were created as `real`, which PostgreSQL
 * takes as a 4-byte float: an amount of 123456789.12 came back as 123456790, while SQLite's REAL
 * (always 8 bytes) kept it. Amounts already stored keep the rounding they were stored with.
 */
const COLUMNS = ['amount', 'amount_overdue', 'paid_capital'] as const;

async function retype(db: Kysely<unknown>, type: 'double precision' | 'real'): Promise<void> {
  if (!onPostgres(db)) return;
  const changes = COLUMNS.map((c) => sql`alter column ${sql.ref(c)} type ${sql.raw(type)}`);
  await sql`alter table outcomes ${sql.join(changes)}`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await retype(db, 'double precision');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await retype(db, 'real');
}

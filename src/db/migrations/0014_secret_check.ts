import type { Kysely } from 'kysely';

/**
 * One value sealed under the secret key, so that a process started with another key (a replica
 * given the wrong CREDENCE_SECRET_KEY) refuses to start instead of writing data that the others
 * cannot read (src/security/secret-check.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('secret_check')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('secret_check').execute();
}

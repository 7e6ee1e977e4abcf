import type { Kysely } from 'kysely';

/**
 * The operator's console: admin keys (not bound to any tenant; they manage every tenant through
 * /api/v1/admin and the console), and per-key IP allowlists and rate limits that an operator sets.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('admin_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('start', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.alterTable('api_keys').addColumn('ip_allow', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('rate_limit', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('rate_limit').execute();
  await db.schema.alterTable('api_keys').dropColumn('ip_allow').execute();
  await db.schema.dropTable('admin_keys').execute();
}

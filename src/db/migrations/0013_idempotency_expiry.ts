import type { Kysely } from 'kysely';

/**
 * Idempotency keys are deleted once their 24 hours are past (src/api/native/idempotency.ts): an
 * index on their creation time keeps that delete from reading the whole table. Their request
 * hashes and responses are sealed from now on; the rows kept before are read as they are and
 * expire with the rest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('idempotency_keys_created_at')
    .on('idempotency_keys')
    .column('created_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idempotency_keys_created_at').execute();
}

import type { Kysely } from 'kysely';

/**
 * A kept idempotent response can hold what a request said about a person (a social profile, an
 * address looked up). It now records the subject it concerns, so that erasing the subject deletes
 * it too, instead of leaving it to be replayed until its 24 hours are past.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('idempotency_keys').addColumn('subject_id', 'text').execute();
  await db.schema
    .createIndex('idempotency_keys_subject')
    .on('idempotency_keys')
    .columns(['tenant_id', 'subject_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idempotency_keys_subject').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('subject_id').execute();
}

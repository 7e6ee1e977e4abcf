import type { Kysely } from 'kysely';

/**
 * The consortium hashes of the person a credit-indicator call asked about, kept only by a call
 * that keeps its answer for replays (an Idempotency-Key) while no subject of the tenant was that
 * person: the subject made later, and erased, must take that answer with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('partner_calls').addColumn('id_hash', 'text').execute();
  await db.schema.alterTable('partner_calls').addColumn('phone_hash', 'text').execute();
  await db.schema.createIndex('partner_calls_id_hash_idx').on('partner_calls').column('id_hash').execute();
  await db.schema
    .createIndex('partner_calls_phone_hash_idx')
    .on('partner_calls')
    .column('phone_hash')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('partner_calls_phone_hash_idx').execute();
  await db.schema.dropIndex('partner_calls_id_hash_idx').execute();
  await db.schema.alterTable('partner_calls').dropColumn('phone_hash').execute();
  await db.schema.alterTable('partner_calls').dropColumn('id_hash').execute();
}

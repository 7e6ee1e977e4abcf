import { type Kysely, sql } from 'kysely';

/**
 * Messages whose parsed fact is kept on their own row, as before facts moved into one record per
 * batch. Featurization asks for them on every run; without this index it read every message the
 * customer ever synced to find none (2 s for 60,000 messages), on the event loop of SQLite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('device_sms_fact_idx')
    .on('device_sms')
    .columns(['tenant_id', 'subject_id'])
    .where(sql.ref('fact'), '<>', '')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('device_sms_fact_idx').execute();
}

import type { Kysely } from 'kysely';

/**
 * Device data for the DeviceConnect dialect: the extras of a finbox-server key (its SERVER_HASH,
 * IP allowlist and webhook), the batches a device synced (each accepted once), SMS (deduplicated;
 * the raw body kept only until its retention passes, the parsed facts kept), each customer's data
 * watermark, the predictors computed per watermark and version, and the webhook notices a
 * `?source=webhook&request_id=` fetch refers to. Everything about a person goes with the subject.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('finbox_server_keys')
    .addColumn('api_key_id', 'text', (c) => c.primaryKey().references('api_keys.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('server_hash', 'text', (c) => c.notNull())
    .addColumn('ip_allow', 'text')
    .addColumn('webhook_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('finbox_server_keys_tenant_idx')
    .on('finbox_server_keys')
    .column('tenant_id')
    .execute();

  const subjectColumns = (t: string) =>
    db.schema
      .createTable(t)
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id').onDelete('cascade'));

  await subjectColumns('device_batches')
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_batches_pk', ['tenant_id', 'subject_id', 'batch_id'])
    .execute();

  await subjectColumns('device_sms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('fact', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('body_expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('device_sms_fingerprint_unique', ['tenant_id', 'subject_id', 'fingerprint'])
    .execute();
  await db.schema
    .createIndex('device_sms_body_expiry_idx')
    .on('device_sms')
    .column('body_expires_at')
    .where('body_expires_at', 'is not', null)
    .execute();

  await subjectColumns('device_state')
    .addColumn('watermark', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_state_pk', ['tenant_id', 'subject_id'])
    .execute();

  await subjectColumns('device_predictors')
    .addColumn('watermark', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('predictors', 'text')
    .addColumn('processed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_predictors_pk', ['tenant_id', 'subject_id', 'watermark', 'version'])
    .execute();

  await subjectColumns('finbox_notices')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('watermark', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'finbox_notices',
    'device_predictors',
    'device_state',
    'device_sms',
    'device_batches',
    'finbox_server_keys',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

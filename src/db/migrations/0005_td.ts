import { type Kysely, sql } from 'kysely';

/**
 * Partner accounts for the credit-indicator API (TD dialect): credentials, purchased packages, a
 * prepaid balance with its ledger, and the record of every call. And the consortium: the tenants
 * that share loan applications for cross-lender indicators, and those applications, held against
 * keyed hashes of the national id and the phone number.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_start', 'text', (c) => c.notNull())
    .addColumn('countries', 'text', (c) => c.notNull())
    .addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('key_created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addCheckConstraint('partners_balance_not_negative', sql`balance >= 0`)
    .execute();
  await db.schema.createIndex('partners_tenant_idx').on('partners').column('tenant_id').execute();

  await db.schema
    .createTable('partner_packages')
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('package', 'text', (c) => c.notNull())
    .addColumn('price', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_packages_pk', ['partner_id', 'package'])
    .execute();

  await db.schema
    .createTable('partner_ledger')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('balance_after', 'bigint', (c) => c.notNull())
    .addColumn('sequence_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('partner_ledger_partner_idx')
    .on('partner_ledger')
    .columns(['partner_id', 'id'])
    .execute();

  await db.schema
    .createTable('partner_calls')
    .addColumn('sequence_id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.references('partners.id').onDelete('cascade'))
    .addColumn('package', 'text')
    .addColumn('country', 'text')
    .addColumn('code', 'integer', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('charged', 'bigint', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('request_hash', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('response', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('partner_calls_partner_idx')
    .on('partner_calls')
    .columns(['partner_id', 'created_at'])
    .execute();
  // A retried call with the same idempotency key is charged once: only charged calls hold a key.
  await db.schema
    .createIndex('partner_calls_idempotency_unique')
    .on('partner_calls')
    .columns(['partner_id', 'idempotency_key'])
    .unique()
    .where('idempotency_key', 'is not', null)
    .execute();

  await db.schema
    .createTable('consortium_members')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('consortium_applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('platform_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('app', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('sequence_id', 'text')
    .addColumn('id_hash', 'text')
    .addColumn('phone_hash', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('loan_status', 'text')
    .addColumn('loan_days_past_due', 'integer')
    .addColumn('loan_observed_at', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // An indicator call looks a person up by either hash; each person has a handful of rows.
  await db.schema
    .createIndex('consortium_applications_id_hash_idx')
    .on('consortium_applications')
    .column('id_hash')
    .where('id_hash', 'is not', null)
    .execute();
  await db.schema
    .createIndex('consortium_applications_phone_hash_idx')
    .on('consortium_applications')
    .column('phone_hash')
    .where('phone_hash', 'is not', null)
    .execute();
  await db.schema
    .createIndex('consortium_applications_external_unique')
    .on('consortium_applications')
    .columns(['platform_id', 'external_id'])
    .unique()
    .where('external_id', 'is not', null)
    .execute();
  // The application a TD call recorded, found again by the call's sequence id to report its decision.
  await db.schema
    .createIndex('consortium_applications_sequence_unique')
    .on('consortium_applications')
    .columns(['platform_id', 'sequence_id'])
    .unique()
    .where('sequence_id', 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'consortium_applications',
    'consortium_members',
    'partner_calls',
    'partner_ledger',
    'partner_packages',
    'partners',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

import type { Kysely } from 'kysely';

/**
 * A telecom operator's subscribers, scored through the CAMARA Customer Insights dialect; the
 * backchannel (CIBA) authentication requests of its OpenID Connect provider; and the subscribers'
 * consents to be scored by an API consumer. Phone numbers and id documents are kept encrypted,
 * with a blind index each for lookups; the monthly features are encrypted too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('telco_subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('phone_index', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('id_document_index', 'text')
    .addColumn('id_document', 'text')
    .addColumn('subscription_type', 'text', (c) => c.notNull())
    .addColumn('activation_date', 'text', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('telco_subscribers_phone_unique', ['tenant_id', 'phone_index'])
    .execute();
  await db.schema
    .createIndex('telco_subscribers_id_document_idx')
    .on('telco_subscribers')
    .columns(['tenant_id', 'id_document_index'])
    .execute();

  await db.schema
    .createTable('telco_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'text', (c) =>
      c.notNull().references('telco_subscribers.id').onDelete('cascade'),
    )
    .addColumn('oauth_client_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('telco_consents_lookup_idx')
    .on('telco_consents')
    .columns(['subscriber_id', 'oauth_client_id', 'scope'])
    .execute();

  await db.schema
    .createTable('ciba_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('oauth_client_id', 'text', (c) => c.notNull())
    .addColumn('subscriber_id', 'text', (c) =>
      c.notNull().references('telco_subscribers.id').onDelete('cascade'),
    )
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('redeemed_at', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ciba_requests', 'telco_consents', 'telco_subscribers'])
    await db.schema.dropTable(table).ifExists().execute();
}

import type { Kysely } from 'kysely';

/**
 * Data connectors. `sightings`: which subject of a tenant showed which IP address, device, email or
 * phone, and when, under a blind index (never the value), for the fraud signals that count users
 * sharing one. `documents`: CVs uploaded or downloaded from Gmail, kept encrypted until read, with
 * what reading them found or why it failed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sightings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id').onDelete('cascade'))
    /** ip | device | email | phone */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value_hash', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sightings_lookup_idx')
    .on('sightings')
    .columns(['tenant_id', 'kind', 'value_hash', 'seen_at'])
    .execute();
  await db.schema.createIndex('sightings_subject_idx').on('sightings').column('subject_id').execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id').onDelete('cascade'))
    /** upload | gmail */
    .addColumn('source', 'text', (c) => c.notNull())
    /** Gmail: the message and attachment ids, so a document is downloaded once. */
    .addColumn('external_id', 'text')
    /** Encrypted file name. */
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    /** Encrypted base64 of the file; cleared once it was read. */
    .addColumn('content', 'text')
    /** queued | parsed | failed */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('failure', 'text')
    /** Encrypted JSON of what was found. */
    .addColumn('extraction', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('documents_subject_idx')
    .on('documents')
    .columns(['tenant_id', 'subject_id'])
    .execute();
  await db.schema
    .createIndex('documents_external_unique')
    .on('documents')
    .columns(['subject_id', 'external_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('documents').execute();
  await db.schema.dropTable('sightings').execute();
}

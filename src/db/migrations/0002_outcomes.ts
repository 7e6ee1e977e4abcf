import type { Kysely } from 'kysely';

// Loan outcomes and performance feedback: what became of the people who were scored.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outcomes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('loan_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('days_past_due', 'integer')
    .addColumn('amount', 'real')
    .addColumn('amount_overdue', 'real')
    .addColumn('paid_capital', 'real')
    .addColumn('currency', 'text')
    .addColumn('term_days', 'integer')
    .addColumn('installment', 'integer')
    .addColumn('observed_at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outcomes_subject_idx')
    .on('outcomes')
    .columns(['subject_id', 'observed_at'])
    .execute();
  await db.schema
    .createIndex('outcomes_tenant_idx')
    .on('outcomes')
    .columns(['tenant_id', 'observed_at'])
    .execute();
  await db.schema
    .createIndex('outcomes_external_unique')
    .on('outcomes')
    .columns(['tenant_id', 'external_id'])
    .unique()
    .where('external_id', 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outcomes').ifExists().execute();
}

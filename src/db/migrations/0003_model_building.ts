import type { Kysely } from 'kysely';

/**
 * Champion/challenger: a run keeps, beside the champion's result, what the tenant's challenger
 * model scored for the same input in shadow. The caller never sees it; monitoring reads it.
 * Three statements, since SQLite adds one column per ALTER TABLE.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('score_runs').addColumn('challenger_model_id', 'text').execute();
  await db.schema.alterTable('score_runs').addColumn('challenger_model_version', 'integer').execute();
  await db.schema.alterTable('score_runs').addColumn('challenger_result', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['challenger_result', 'challenger_model_version', 'challenger_model_id']) {
    await db.schema.alterTable('score_runs').dropColumn(column).execute();
  }
}

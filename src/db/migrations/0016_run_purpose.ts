import type { Kysely } from 'kysely';

/**
 * The purpose a score was asked for, when the caller declared one: the CAMARA security profile's
 * `dpv:` scope on the access token (`dpv:CreditChecking`). Kept with the run, so that the record
 * of why a person was scored is the run itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('score_runs').addColumn('purpose', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('score_runs').dropColumn('purpose').execute();
}

import type { Kysely } from 'kysely';
import type { Database, OutcomeRow } from '../schema.js';

type Db = Kysely<Database>;

/** Inserts outcomes; one whose external id the tenant already used is left as it is. */
export async function insertOutcomes(db: Db, rows: readonly OutcomeRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  let inserted = 0;
  for (const row of rows) {
    const r = row.external_id
      ? await db
          .insertInto('outcomes')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['tenant_id', 'external_id']).where('external_id', 'is not', null).doNothing(),
          )
          .executeTakeFirst()
      : await db.insertInto('outcomes').values(row).executeTakeFirst();
    inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

export async function listOutcomesOfSubject(
  db: Db,
  tenantId: string,
  subjectId: string,
): Promise<OutcomeRow[]> {
  return db
    .selectFrom('outcomes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .orderBy('observed_at')
    .orderBy('id')
    .execute();
}

export async function deleteOutcomesOfSubject(db: Db, tenantId: string, subjectId: string): Promise<void> {
  await db
    .deleteFrom('outcomes')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .execute();
}

/** One page of a tenant's outcomes observed from `from` on, in id order, after the id `after`. */
export async function listOutcomesSince(
  db: Db,
  q: { tenantId: string; from: string; after?: string | undefined; limit: number },
): Promise<Pick<OutcomeRow, 'id' | 'subject_id' | 'kind' | 'status' | 'days_past_due' | 'observed_at'>[]> {
  let query = db
    .selectFrom('outcomes')
    .select(['id', 'subject_id', 'kind', 'status', 'days_past_due', 'observed_at'])
    .where('tenant_id', '=', q.tenantId)
    .where('observed_at', '>=', q.from);
  if (q.after) query = query.where('id', '>', q.after);
  return query.orderBy('id').limit(q.limit).execute();
}

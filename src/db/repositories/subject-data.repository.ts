import type { Kysely } from 'kysely';
import type { Database, SubjectDataRow } from '../schema.js';

type Db = Kysely<Database>;

export async function insertSubjectData(db: Db, rows: readonly SubjectDataRow[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('subject_data')
      .values(rows as SubjectDataRow[])
      .execute();
}

/** A subject's records of these kinds (all kinds when none are named), oldest first. */
export async function listSubjectData(
  db: Db,
  tenantId: string,
  subjectId: string,
  kinds?: readonly string[],
): Promise<SubjectDataRow[]> {
  let q = db
    .selectFrom('subject_data')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId);
  if (kinds && kinds.length > 0) q = q.where('kind', 'in', kinds as string[]);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function deleteSubjectData(db: Db, tenantId: string, subjectId: string): Promise<number> {
  const r = await db
    .deleteFrom('subject_data')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

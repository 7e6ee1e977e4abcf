import type { Kysely } from 'kysely';
import type { Database, SightingTable } from '../schema.js';

type Db = Kysely<Database>;

export async function insertSightings(db: Db, rows: readonly SightingTable[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('sightings')
      .values(rows as SightingTable[])
      .execute();
}

/** How many other subjects of the tenant were seen with any of these hashes (since `since`, if given). */
export async function countOtherSubjects(
  db: Db,
  tenantId: string,
  kind: SightingTable['kind'],
  hashes: readonly string[],
  subjectId: string,
  since?: string,
): Promise<number> {
  if (hashes.length === 0) return 0;
  let q = db
    .selectFrom('sightings')
    .select((eb) => eb.fn.count<string | number>('subject_id').distinct().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('value_hash', 'in', hashes as string[])
    .where('subject_id', '!=', subjectId);
  if (since) q = q.where('seen_at', '>=', since);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

import type { Kysely } from 'kysely';
import { everyColumn, fixedInsert, fixedQueries } from '../fixed-query.js';
import type { ConsortiumApplicationRow, Database } from '../schema.js';

type Db = Kysely<Database>;

export async function addMember(db: Db, tenantId: string, at: string): Promise<boolean> {
  const r = await db
    .insertInto('consortium_members')
    .values({ tenant_id: tenantId, joined_at: at })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function removeMember(db: Db, tenantId: string): Promise<boolean> {
  const r = await db.deleteFrom('consortium_members').where('tenant_id', '=', tenantId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function findMember(db: Db, tenantId: string): Promise<{ joined_at: string } | undefined> {
  return db
    .selectFrom('consortium_members')
    .select('joined_at')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export async function listMembers(db: Db): Promise<{ tenant_id: string; name: string; joined_at: string }[]> {
  return db
    .selectFrom('consortium_members')
    .innerJoin('tenants', 'tenants.id', 'consortium_members.tenant_id')
    .select(['consortium_members.tenant_id', 'tenants.name', 'consortium_members.joined_at'])
    .orderBy('consortium_members.joined_at')
    .execute();
}

export async function deleteApplicationsOf(db: Db, platformId: string): Promise<number> {
  const r = await db
    .deleteFrom('consortium_applications')
    .where('platform_id', '=', platformId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** What the indicators read of a matching application. */
const MATCHED_COLUMNS = [
  'platform_id',
  'app',
  'id_hash',
  'phone_hash',
  'status',
  'applied_at',
  'decided_at',
  'loan_status',
  'loan_days_past_due',
  'loan_observed_at',
] as const;

export type MatchedApplication = Pick<ConsortiumApplicationRow, (typeof MATCHED_COLUMNS)[number]>;

/**
 * The applications, recorded by tenants that are in the consortium now, whose id hash or phone
 * hash is one of those given. Both lookups use their own index. Every indicator call runs it:
 * compiled once for each number of hashes of either kind (fixed-query.ts).
 */
export async function findMatchingApplications(
  db: Db,
  idHashes: readonly string[],
  phoneHashes: readonly string[],
  limit: number,
): Promise<MatchedApplication[]> {
  if (idHashes.length === 0 && phoneHashes.length === 0) return [];
  const query = matchQuery({ ids: idHashes.length, phones: phoneHashes.length });
  return (await query(db, limit, ...idHashes, ...phoneHashes)).rows;
}

const matchQuery = fixedQueries(
  (s: { ids: number; phones: number }) => `${s.ids}:${s.phones}`,
  ({ ids }) =>
    (db: Db, limit: number, ...hashes: string[]) =>
      matchingApplications(db, hashes.slice(0, ids), hashes.slice(ids), limit),
);

function matchingApplications(
  db: Db,
  idHashes: readonly string[],
  phoneHashes: readonly string[],
  limit: number,
) {
  return db
    .selectFrom('consortium_applications')
    .select(MATCHED_COLUMNS)
    .where((eb) => {
      const either = [];
      if (idHashes.length > 0) either.push(eb('id_hash', 'in', idHashes));
      if (phoneHashes.length > 0) either.push(eb('phone_hash', 'in', phoneHashes));
      return eb.or(either);
    })
    .where('platform_id', 'in', (eb) => eb.selectFrom('consortium_members').select('tenant_id'))
    .limit(limit);
}

const APPLICATION_COLUMNS = everyColumn<ConsortiumApplicationRow>()([
  'id',
  'external_id',
  'sequence_id',
  'source',
  'created_at',
  'updated_at',
  ...MATCHED_COLUMNS,
]);

// Every metered call with an app name inserts one: compiled once (fixed-query.ts).
const insertApplicationQuery = fixedInsert(APPLICATION_COLUMNS, (db: Db, row: ConsortiumApplicationRow) =>
  db.insertInto('consortium_applications').values(row),
);

export async function insertApplication(db: Db, row: ConsortiumApplicationRow): Promise<void> {
  await insertApplicationQuery(db, row);
}

/** A platform's application by the tenant's external id or by the sequence id of the call that recorded it. */
export async function findApplicationOf(
  db: Db,
  platformId: string,
  ref: { externalId: string } | { sequenceId: string },
): Promise<ConsortiumApplicationRow | undefined> {
  const query = db.selectFrom('consortium_applications').selectAll().where('platform_id', '=', platformId);
  return (
    'externalId' in ref
      ? query.where('external_id', '=', ref.externalId)
      : query.where('sequence_id', '=', ref.sequenceId)
  ).executeTakeFirst();
}

export async function updateApplication(
  db: Db,
  id: string,
  set: Omit<ConsortiumApplicationRow, 'id' | 'platform_id' | 'sequence_id' | 'source' | 'created_at'>,
): Promise<void> {
  await db.updateTable('consortium_applications').set(set).where('id', '=', id).execute();
}

/**
 * Deletes the applications a platform recorded for one person: those recorded by the given calls,
 * and those held under any of the given hashes of the person's national id or phone number.
 */
export async function deletePersonApplications(
  db: Db,
  platformId: string,
  person: { sequenceIds: readonly string[]; idHashes: readonly string[]; phoneHashes: readonly string[] },
): Promise<{ id: string; sequence_id: string | null }[]> {
  const { sequenceIds, idHashes, phoneHashes } = person;
  if (sequenceIds.length + idHashes.length + phoneHashes.length === 0) return [];
  return db
    .deleteFrom('consortium_applications')
    .where('platform_id', '=', platformId)
    .where((eb) =>
      eb.or([
        ...(sequenceIds.length > 0 ? [eb('sequence_id', 'in', sequenceIds)] : []),
        ...(idHashes.length > 0 ? [eb('id_hash', 'in', idHashes)] : []),
        ...(phoneHashes.length > 0 ? [eb('phone_hash', 'in', phoneHashes)] : []),
      ]),
    )
    .returning(['id', 'sequence_id'])
    .execute();
}

import type { Kysely } from 'kysely';
import type { Database, FriendlyScoreUserRow, ScoreRequestRow } from '../schema.js';

type Db = Kysely<Database>;

export interface FriendlyScoreUserWithPartner extends FriendlyScoreUserRow {
  partner_id: string;
}

const users = (db: Db) =>
  db
    .selectFrom('friendlyscore_users')
    .innerJoin('subjects', 'subjects.id', 'friendlyscore_users.subject_id')
    .selectAll('friendlyscore_users')
    .select('subjects.partner_id');

export async function findUserByNumber(
  db: Db,
  tenantId: string,
  userNumber: number,
): Promise<FriendlyScoreUserWithPartner | undefined> {
  return users(db)
    .where('friendlyscore_users.tenant_id', '=', tenantId)
    .where('friendlyscore_users.user_number', '=', userNumber)
    .executeTakeFirst();
}

export async function findUserByPartnerId(
  db: Db,
  tenantId: string,
  partnerId: string,
): Promise<FriendlyScoreUserWithPartner | undefined> {
  return users(db)
    .where('friendlyscore_users.tenant_id', '=', tenantId)
    .where('subjects.partner_id', '=', partnerId)
    .executeTakeFirst();
}

export async function findUserBySubject(
  db: Db,
  subjectId: string,
): Promise<FriendlyScoreUserRow | undefined> {
  return db
    .selectFrom('friendlyscore_users')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
}

/** The next FriendlyScore user number of a tenant: never given before, even to an erased user. */
export async function nextUserNumber(db: Db, tenantId: string): Promise<number> {
  const name = `friendlyscore_user:${tenantId}`;
  await db
    .insertInto('sequences')
    .values({ name, value: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .updateTable('sequences')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export async function insertUser(db: Db, row: FriendlyScoreUserRow): Promise<void> {
  await db.insertInto('friendlyscore_users').values(row).execute();
}

export async function listUsers(
  db: Db,
  tenantId: string,
  offset: number,
  limit: number,
): Promise<FriendlyScoreUserWithPartner[]> {
  return users(db)
    .where('friendlyscore_users.tenant_id', '=', tenantId)
    .orderBy('friendlyscore_users.user_number')
    .offset(offset)
    .limit(limit)
    .execute();
}

export async function countUsers(db: Db, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('friendlyscore_users')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateUserStatus(
  db: Db,
  subjectId: string,
  status: string,
  description: string | null,
  at: string,
): Promise<void> {
  await db
    .updateTable('friendlyscore_users')
    .set({ status, status_description: description, updated_at: at })
    .where('subject_id', '=', subjectId)
    .execute();
}

export async function insertScoreRequest(db: Db, row: ScoreRequestRow): Promise<void> {
  await db.insertInto('score_requests').values(row).execute();
}

export async function findScoreRequest(db: Db, id: string): Promise<ScoreRequestRow | undefined> {
  return db.selectFrom('score_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest score request of each of these subjects for a service. */
export async function latestScoreRequests(
  db: Db,
  tenantId: string,
  subjectIds: readonly string[],
  service: string,
): Promise<Map<string, ScoreRequestRow>> {
  const latest = new Map<string, ScoreRequestRow>();
  if (subjectIds.length === 0) return latest;
  const rows = await db
    .selectFrom('score_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subject_id', 'in', subjectIds as string[])
    .where('service', '=', service)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const r of rows) latest.set(r.subject_id, r);
  return latest;
}

export async function setScoreRequestStatus(db: Db, id: string, status: string, at: string): Promise<void> {
  await db.updateTable('score_requests').set({ status, updated_at: at }).where('id', '=', id).execute();
}

import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database, JobRow, JobTable } from '../schema.js';

type Db = Kysely<Database>;

/** Inserts jobs; one whose (name, dedupe key) exists already is left as it is. Returns the ids inserted. */
export async function insertJobs(db: Db, rows: readonly JobTable[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await db
    .insertInto('jobs')
    .values(rows as JobTable[])
    .onConflict((oc) => oc.columns(['name', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .execute();
  return new Set(inserted.map((r) => r.id));
}

export async function findJobIdsByKey(
  db: Db,
  name: string,
  keys: readonly string[],
): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'dedupe_key'])
    .where('name', '=', name)
    .where('dedupe_key', 'in', keys as string[])
    .execute();
  return new Map(rows.map((r) => [r.dedupe_key!, r.id]));
}

export async function findJob(db: Db, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Due jobs: queued ones whose time has come, and running ones whose lock expired. */
const claimable = (now: string) => (eb: ExpressionBuilder<Database, 'jobs'>) =>
  eb.or([
    eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
    eb.and([eb('status', '=', 'running'), eb('locked_until', '<=', now)]),
  ]);

/**
 * Whether any job of these names could be claimed now. A read: on SQLite it never waits for the
 * write lock, so an idle worker can look as often as it likes without ever blocking the event
 * loop behind another connection's commit.
 */
export function hasClaimableJobs(db: Db, names: readonly string[], now: string): Promise<boolean> {
  return anyJob(db, names, claimable(now));
}

type JobFilter = (eb: ExpressionBuilder<Database, 'jobs'>) => Expression<SqlBool>;

async function anyJob(db: Db, names: readonly string[], filter: JobFilter): Promise<boolean> {
  if (names.length === 0) return false;
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('name', 'in', names as string[])
    .where(filter)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Takes up to `limit` jobs of `name` that are due: queued ones whose time has come, and running
 * ones whose lock expired (their worker died). On PostgreSQL, SKIP LOCKED lets several workers
 * claim at once without waiting for each other; SQLite has one writer at a time anyway.
 */
export async function claimJobs(
  db: Db,
  q: { name: string; limit: number; worker: string; now: string; lockedUntil: string; postgres: boolean },
): Promise<JobRow[]> {
  let due = db
    .selectFrom('jobs')
    .select('id')
    .where('name', '=', q.name)
    .where(claimable(q.now))
    .orderBy('run_at')
    .limit(q.limit);
  if (q.postgres) due = due.forUpdate().skipLocked();
  return db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      locked_by: q.worker,
      locked_until: q.lockedUntil,
      attempts: eb('attempts', '+', 1),
      updated_at: q.now,
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

export async function completeJobs(
  db: Db,
  ids: readonly string[],
  worker: string,
  now: string,
): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .updateTable('jobs')
    .set({ status: 'completed', locked_by: null, locked_until: null, updated_at: now })
    .where('id', 'in', ids as string[])
    .where('locked_by', '=', worker)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Puts a job back in the queue for `runAt`, or fails it for good when `runAt` is null. Returns
 * whether it did: not when the worker no longer holds the job.
 */
export async function rescheduleJob(
  db: Db,
  j: { id: string; worker: string; runAt: string | null; error: string; now: string; refund?: boolean },
): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: j.runAt === null ? 'failed' : 'queued',
      run_at: j.runAt ?? j.now,
      locked_by: null,
      locked_until: null,
      last_error: j.error,
      updated_at: j.now,
      ...(j.refund ? { attempts: eb('attempts', '-', 1) } : {}),
    }))
    .where('id', '=', j.id)
    .where('locked_by', '=', j.worker)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function extendLocks(
  db: Db,
  ids: readonly string[],
  worker: string,
  lockedUntil: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('jobs')
    .set({ locked_until: lockedUntil })
    .where('id', 'in', ids as string[])
    .where('locked_by', '=', worker)
    .where('status', '=', 'running')
    .execute();
}

export async function cancelSubjectJobs(
  db: Db,
  tenantId: string,
  subjectId: string,
  now: string,
): Promise<number> {
  const r = await db
    .updateTable('jobs')
    .set({ status: 'cancelled', updated_at: now, locked_by: null, locked_until: null })
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Deletes the finished (completed, failed or cancelled) jobs about a subject; returns how many. */
export async function deleteFinishedSubjectJobs(
  db: Db,
  tenantId: string,
  subjectId: string,
): Promise<number> {
  const r = await db
    .deleteFrom('jobs')
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where('status', 'in', ['completed', 'failed', 'cancelled'])
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Whether any job of these names is due or running. */
export function hasPendingJobs(db: Db, names: readonly string[], now: string): Promise<boolean> {
  return anyJob(db, names, (eb) =>
    eb.or([eb('status', '=', 'running'), eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)])]),
  );
}

/** Deletes finished jobs (completed, failed for good or cancelled) last changed before `before`; returns how many. */
export async function purgeFinishedJobs(db: Db, before: string, limit: number): Promise<number> {
  const ids = db
    .selectFrom('jobs')
    .select('id')
    .where('status', 'in', ['completed', 'failed', 'cancelled'])
    .where('updated_at', '<', before)
    .limit(limit);
  const r = await db.deleteFrom('jobs').where('id', 'in', ids).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Queued and running jobs by name, and the earliest run_at among the due ones. */
export async function jobCounts(
  db: Db,
  now: string,
): Promise<{ name: string; queued: number; running: number; oldestDue: string | null }[]> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => [
      'name',
      eb.fn.sum<number>(eb.case().when('status', '=', 'queued').then(1).else(0).end()).as('queued'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'running').then(1).else(0).end()).as('running'),
      eb.fn
        .min<string | null>(
          eb
            .case()
            .when(eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]))
            .then(eb.ref('run_at'))
            .end(),
        )
        .as('oldestDue'),
    ])
    .where('status', 'in', ['queued', 'running'])
    .groupBy('name')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    queued: Number(r.queued),
    running: Number(r.running),
    oldestDue: r.oldestDue,
  }));
}

import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import { onPostgres } from '../row-lock.js';
import type { Database, NewScoreRun, ScoreRunRow } from '../schema.js';

type Db = Kysely<Database>;

/**
 * Whether a run scored something: every run but a payment schedule's that judged no month, whose
 * schedule carries an `error` (START_DATE_IN_FUTURE, NO_SCORED_MONTHS; docs/payment-schedule.md).
 * Read in the query, from the result's JSON; a run of another service has no `schedule`.
 */
function scoredSomething(db: Db): Expression<SqlBool> {
  const scheduleError = onPostgres(db)
    ? sql`result::json #>> '{schedule,error}'`
    : sql`json_extract(result, '$.schedule.error')`;
  return sql<SqlBool>`${scheduleError} is null`;
}

export async function insertScoreRuns(db: Db, rows: readonly NewScoreRun[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('score_runs')
      .values(rows as NewScoreRun[])
      .execute();
}

/** The run `id` of the tenant's subject (of `service`, when given), as a page's cursor; undefined if none. */
export async function findRunCursor(
  db: Db,
  q: { tenantId: string; subjectId: string; service?: string | undefined; id: string },
): Promise<{ id: string; createdAt: string } | undefined> {
  let query = db
    .selectFrom('score_runs')
    .select(['id', 'created_at'])
    .where('tenant_id', '=', q.tenantId)
    .where('subject_id', '=', q.subjectId)
    .where('id', '=', q.id);
  if (q.service) query = query.where('service', '=', q.service);
  const row = await query.executeTakeFirst();
  return row && { id: row.id, createdAt: row.created_at };
}

/** A subject's runs for one service (or all), oldest first. */
export async function listScoreRuns(
  db: Db,
  q: {
    tenantId: string;
    subjectId: string;
    service?: string | undefined;
    /** The run the page starts after: its place in the order, time then id. */
    after?: { id: string; createdAt: string } | undefined;
    limit?: number | undefined;
  },
): Promise<ScoreRunRow[]> {
  let query = db
    .selectFrom('score_runs')
    .selectAll()
    .where('tenant_id', '=', q.tenantId)
    .where('subject_id', '=', q.subjectId);
  if (q.service) query = query.where('service', '=', q.service);
  // A run's id is made when it is asked for and its time when it is scored (a FriendlyScore run,
  // scored in the background), so the two orders can differ: the page follows the list's own.
  const after = q.after;
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
      ]),
    );
  query = query.orderBy('created_at').orderBy('id');
  if (q.limit !== undefined) query = query.limit(q.limit);
  return query.execute();
}

/**
 * One page of the runs a model scored for a tenant, as champion or as challenger, in id order
 * (ids are time-ordered), after the run id `after`. Monitoring reads them page by page.
 */
export async function listRunsOfModel(
  db: Db,
  q: {
    tenantId: string;
    modelId: string;
    from?: string | undefined;
    to?: string | undefined;
    after?: string | undefined;
    limit: number;
  },
): Promise<
  Pick<
    ScoreRunRow,
    'id' | 'subject_id' | 'model_id' | 'result' | 'challenger_model_id' | 'challenger_result' | 'created_at'
  >[]
> {
  let query = db
    .selectFrom('score_runs')
    .select([
      'id',
      'subject_id',
      'model_id',
      'result',
      'challenger_model_id',
      'challenger_result',
      'created_at',
    ])
    .where('tenant_id', '=', q.tenantId)
    .where((eb) => eb.or([eb('model_id', '=', q.modelId), eb('challenger_model_id', '=', q.modelId)]));
  if (q.from) query = query.where('created_at', '>=', q.from);
  if (q.to) query = query.where('created_at', '<', q.to);
  if (q.after) query = query.where('id', '>', q.after);
  return query.orderBy('id').limit(q.limit).execute();
}

export async function findScoreRun(db: Db, tenantId: string, id: string): Promise<ScoreRunRow | undefined> {
  return db
    .selectFrom('score_runs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The results of a subject's latest runs that scored something (of one service, or all), newest
 * first, without their inputs: a schedule that judged no month is not the person's latest score.
 */
export async function listLatestScoredRuns(
  db: Db,
  q: { tenantId: string; subjectId: string; service?: string | undefined; limit: number },
): Promise<Pick<ScoreRunRow, 'service' | 'result' | 'created_at'>[]> {
  let query = db
    .selectFrom('score_runs')
    .select(['service', 'result', 'created_at'])
    .where('tenant_id', '=', q.tenantId)
    .where('subject_id', '=', q.subjectId)
    .where(scoredSomething(db));
  if (q.service) query = query.where('service', '=', q.service);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

/** How many different services have scored a subject (a schedule that judged no month has not). */
export async function countScoredServices(db: Db, tenantId: string, subjectId: string): Promise<number> {
  const row = await db
    .selectFrom('score_runs')
    .select((eb) => eb.fn.count<string | number>('service').distinct().as('services'))
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .where(scoredSomething(db))
    .executeTakeFirst();
  return Number(row?.services ?? 0);
}

/** The newest run of each service a subject was scored by (input left out), the newest last. */
export async function latestRunPerService(
  db: Db,
  tenantId: string,
  subjectId: string,
): Promise<Pick<ScoreRunRow, 'id' | 'service' | 'model_id' | 'result' | 'created_at'>[]> {
  const rows = await db
    .selectFrom('score_runs')
    .select(['id', 'service', 'model_id', 'result', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('subject_id', '=', subjectId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    latest.delete(r.service);
    latest.set(r.service, r);
  }
  return [...latest.values()];
}

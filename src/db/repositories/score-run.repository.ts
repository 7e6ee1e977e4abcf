import type { Kysely } from 'kysely';
import type { Database, NewScoreRun, ScoreRunRow } from '../schema.js';

type Db = Kysely<Database>;

export async function insertScoreRuns(db: Db, rows: readonly NewScoreRun[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('score_runs')
      .values(rows as NewScoreRun[])
      .execute();
}

/** A subject's runs for one service (or all), oldest first. */
export async function listScoreRuns(
  db: Db,
  q: {
    tenantId: string;
    subjectId: string;
    service?: string | undefined;
    after?: string | undefined;
    limit?: number | undefined;
  },
): Promise<ScoreRunRow[]> {
  let query = db
    .selectFrom('score_runs')
    .selectAll()
    .where('tenant_id', '=', q.tenantId)
    .where('subject_id', '=', q.subjectId);
  if (q.service) query = query.where('service', '=', q.service);
  if (q.after) query = query.where('id', '>', q.after);
  query = query.orderBy('created_at').orderBy('id');
  if (q.limit !== undefined) query = query.limit(q.limit);
  return query.execute();
}

/** The results of a subject's latest runs (of one service, or all), newest first, without their inputs. */
export async function listLatestRunResults(
  db: Db,
  q: { tenantId: string; subjectId: string; service?: string | undefined; limit: number },
): Promise<Pick<ScoreRunRow, 'service' | 'result' | 'created_at'>[]> {
  let query = db
    .selectFrom('score_runs')
    .select(['service', 'result', 'created_at'])
    .where('tenant_id', '=', q.tenantId)
    .where('subject_id', '=', q.subjectId);
  if (q.service) query = query.where('service', '=', q.service);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

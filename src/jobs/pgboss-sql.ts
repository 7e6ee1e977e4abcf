/**
 * The few statements the pg-boss queue runs on pg-boss's own tables (schema version 24, pg-boss
 * 10), for what its API does not offer. Kept here, in one place, to check on a pg-boss upgrade.
 */
import type PgBoss from 'pg-boss';
import type { QueueStats } from './queue.js';

export interface PgBossJobRow {
  id: string;
  name: string;
  state: string;
  data: unknown;
  retry_count: number;
  retry_limit: number;
  start_after: Date;
  started_on: Date | null;
  created_on: Date;
  completed_on: Date | null;
  output: unknown;
}

export class PgBossSql {
  private readonly s: string;

  constructor(schema: string) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`"${schema}" is not a plain schema name`);
    this.s = schema;
  }

  /**
   * Creates a queue unless it exists. pg-boss's create_queue makes a partition of the job table;
   * two replicas making the same one at once deadlock, so the creation holds a lock of ours.
   */
  async createQueue(db: PgBoss.Db, name: string, options: { expireInSeconds: number }): Promise<void> {
    await db.executeSql(`select pg_advisory_xact_lock(hashtext($3)), ${this.s}.create_queue($1, $2)`, [
      name,
      JSON.stringify(options),
      `${this.s}.create_queue`,
    ]);
    // create_queue leaves a queue an earlier start made as it was; the visibility timeout is
    // configuration (CREDENCE_JOB_VISIBILITY_TIMEOUT), so the queue follows the one in force.
    await db.executeSql(
      `update ${this.s}.queue set expire_seconds = $2, updated_on = now() where name = $1 and expire_seconds <> $2`,
      [name, options.expireInSeconds],
    );
  }

  async findJob(db: PgBoss.Db, id: string): Promise<PgBossJobRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const cols =
      'id, name, state::text as state, data, retry_count, retry_limit, start_after, started_on, created_on, completed_on, output';
    const { rows } = await db.executeSql(
      `select ${cols} from ${this.s}.job where id = $1 union all select ${cols} from ${this.s}.archive where id = $1 limit 1`,
      [id],
    );
    return rows[0] as PgBossJobRow | undefined;
  }

  async cancelSubjectJobs(db: PgBoss.Db, tenantId: string, subjectId: string): Promise<number> {
    const { rows } = await db.executeSql(
      `with c as (update ${this.s}.job set state = 'cancelled', completed_on = now()
         where state <= 'active' and data->>'tenantId' = $1 and data->>'subjectId' = $2 returning 1)
       select count(*)::int as n from c`,
      [tenantId, subjectId],
    );
    return (rows[0] as { n: number }).n;
  }

  /**
   * Deletes the finished jobs about a subject, and their archived copies (pg-boss moves a finished
   * job to `archive` a day after it finished: archiveCompletedAfterSeconds in pgboss-queue.ts).
   */
  async deleteFinishedSubjectJobs(db: PgBoss.Db, tenantId: string, subjectId: string): Promise<number> {
    const { rows } = await db.executeSql(
      `with j as (delete from ${this.s}.job
                   where state > 'active' and data->>'tenantId' = $1 and data->>'subjectId' = $2 returning 1),
            a as (delete from ${this.s}.archive
                   where data->>'tenantId' = $1 and data->>'subjectId' = $2 returning 1)
       select ((select count(*) from j) + (select count(*) from a))::int as n`,
      [tenantId, subjectId],
    );
    return (rows[0] as { n: number }).n;
  }

  /** Whether any of these jobs is queued and due, or running. */
  async hasPending(db: PgBoss.Db, names: string[]): Promise<boolean> {
    if (names.length === 0) return false;
    const { rows } = await db.executeSql(
      `select exists (select 1 from ${this.s}.job where name = any($1::text[])
         and (state = 'active' or (state < 'active' and start_after <= now()))) as pending`,
      [names],
    );
    return (rows[0] as { pending: boolean }).pending;
  }

  /**
   * Completes a running job, as pg-boss's own `complete` does, and says whether it did: not when
   * the job was cancelled (or deleted) while it ran.
   */
  async complete(db: PgBoss.Db, name: string, id: string): Promise<boolean> {
    const { rows } = await db.executeSql(
      `with c as (update ${this.s}.job set completed_on = now(), state = 'completed', output = '{}'::jsonb
         where name = $1 and id = $2 and state = 'active' returning 1)
       select count(*)::int as n from c`,
      [name, id],
    );
    return (rows[0] as { n: number }).n === 1;
  }

  /** Moves the running jobs' start forward: pg-boss expires a job `expire_in` after it started. */
  async touch(db: PgBoss.Db, ids: string[]): Promise<void> {
    await db.executeSql(
      `update ${this.s}.job set started_on = now() where id = any($1::uuid[]) and state = 'active'`,
      [ids],
    );
  }

  /** Makes the job's next failure its last. */
  async spendAttempts(db: PgBoss.Db, name: string, id: string): Promise<void> {
    await db.executeSql(
      `update ${this.s}.job set retry_limit = retry_count where name = $1 and id = $2 and state = 'active'`,
      [name, id],
    );
  }

  /** Sets when a job that pg-boss just put in `retry` runs next. */
  async delayRetry(db: PgBoss.Db, name: string, id: string, delayMs: number): Promise<void> {
    await db.executeSql(
      `update ${this.s}.job set start_after = now() + $3 * interval '1 millisecond'
         where name = $1 and id = $2 and state = 'retry'`,
      [name, id, Math.max(0, Math.round(delayMs))],
    );
  }

  /**
   * Puts a running job back, due at once, without counting the attempt: pg-boss counts a retry
   * when it fetches a job that started before, so the count goes back one (or `started_on` is
   * cleared on a first attempt).
   */
  async release(db: PgBoss.Db, name: string, id: string): Promise<void> {
    await db.executeSql(
      `update ${this.s}.job set state = 'retry', start_after = now(),
         retry_count = greatest(retry_count - 1, 0),
         started_on = case when retry_count = 0 then null else started_on end
       where name = $1 and id = $2 and state = 'active'`,
      [name, id],
    );
  }

  /** Queued and running jobs by name, and how long the oldest due one has waited. */
  async stats(db: PgBoss.Db): Promise<QueueStats[]> {
    const { rows } = await db.executeSql(
      `select name,
         count(*) filter (where state < 'active')::int as queued,
         count(*) filter (where state = 'active')::int as running,
         coalesce(extract(epoch from now() - min(start_after) filter (where state < 'active' and start_after <= now())), 0)::float8 as oldest
       from ${this.s}.job where state <= 'active' group by name`,
      [],
    );
    return (rows as { name: string; queued: number; running: number; oldest: number }[]).map((r) => ({
      name: r.name,
      queued: r.queued,
      running: r.running,
      oldestDueSeconds: r.oldest,
    }));
  }
}

/**
 * The scale-out queue: pg-boss 10 on PostgreSQL. Any number of replicas share it; pg-boss hands a
 * job to one of them (`FOR UPDATE SKIP LOCKED`) and its supervisor retries the jobs of a replica
 * that died once their expiry (our visibility timeout) passes.
 *
 * What the JobQueue interface asks beyond pg-boss's own API is done in SQL on pg-boss's tables,
 * all of it in pgboss-sql.ts: a heartbeat that keeps a running job's expiry ahead (as the embedded
 * queue extends its lock), a retry delay chosen by the handler, releasing a job at shutdown
 * without spending an attempt, and the lookups by id and by subject.
 *
 * A job's pg-boss data is an envelope `{ payload, tenantId, subjectId }`. A keyed job gets an id
 * derived from its name and key, so enqueueing the same key again finds the same job.
 */
import { createHash } from 'node:crypto';
import { CompiledQuery, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { Database } from '../db/schema.js';
import { PgBossSql } from './pgboss-sql.js';
import { type ClaimedJob, PollingWorker, type Registered, type WorkerLogger } from './polling-worker.js';
import type { EnqueuedJob, EnqueueOptions, JobInfo, JobQueue, JobStatus, QueueStats } from './queue.js';
import { JobWithdrawnError } from './queue.js';

export interface PgBossQueueOptions {
  /** Credence's database: the handlers' transactions, which also complete the job, run on it. */
  db: Kysely<Database>;
  /** PostgreSQL URL (with the search_path of Credence's schema, if any). */
  url: string;
  /** pg-boss's own schema. */
  schema: string;
  /** A running job whose worker stops beating for this long is retried (default 30 s). */
  visibilityTimeoutMs?: number;
  /** How often an idle worker looks for due jobs (default 500 ms). */
  pollIntervalMs?: number;
  /** Connections of pg-boss's own pool (default 4). */
  poolMax?: number;
  random?: () => number;
  logger?: WorkerLogger;
}

interface Envelope {
  payload: unknown;
  tenantId: string | null;
  subjectId: string | null;
}

type FetchedJob = PgBoss.JobWithMetadata<Envelope>;

function claimed(job: FetchedJob): ClaimedJob {
  return {
    id: job.id,
    attempt: job.retryCount + 1,
    maxAttempts: job.retryLimit + 1,
    payload: job.data?.payload ?? null,
    tenantId: job.data?.tenantId ?? null,
  };
}

/** pg-boss's `db` option over a Kysely connection or transaction. */
export function kyselyExecutor(db: Kysely<Database>): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const r = await db.executeQuery(CompiledQuery.raw(text, values));
      return { rows: r.rows } as never;
    },
  };
}

/** The id of the job with this name and key: a UUID from their hash. */
export function keyedJobId(name: string, key: string): string {
  const h = createHash('sha256').update(`${name}\u0000${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class PgBossQueue extends PollingWorker<ClaimedJob> implements JobQueue {
  private readonly boss: PgBoss;
  private readonly sql: PgBossSql;
  private readonly vt: number;
  private readonly queues = new Map<string, Promise<void>>();
  /** Our own statements run on Credence's pool, which outlives pg-boss's at shutdown. */
  private readonly db: PgBoss.Db;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly options: PgBossQueueOptions) {
    super(options.pollIntervalMs ?? 500, options.random ?? Math.random, options.logger);
    this.vt = options.visibilityTimeoutMs ?? 30_000;
    const vtSeconds = Math.max(1, Math.ceil(this.vt / 1000));
    this.boss = new PgBoss({
      connectionString: options.url,
      schema: options.schema,
      max: options.poolMax ?? 4,
      // The supervisor fails expired jobs (retrying them) and archives finished ones; several
      // replicas share the work through pg-boss's own maintenance lock.
      supervise: true,
      maintenanceIntervalSeconds: Math.min(60, Math.max(1, Math.floor(vtSeconds / 2))),
      archiveCompletedAfterSeconds: 24 * 3600,
      schedule: false,
    });
    this.boss.on('error', (err) => this.options.logger?.error({ err }, 'job queue error'));
    this.sql = new PgBossSql(options.schema);
    this.db = kyselyExecutor(options.db);
  }

  /** Creates or upgrades pg-boss's schema (under pg-boss's advisory lock). */
  async open(): Promise<void> {
    await this.boss.start();
  }

  private ensureQueue(name: string): Promise<void> {
    let q = this.queues.get(name);
    if (!q) {
      const options = {
        policy: 'standard',
        expireInSeconds: Math.max(1, Math.ceil(this.vt / 1000)),
        retentionMinutes: 14 * 24 * 60,
        retryDelay: 0,
        retryBackoff: false,
      };
      q = this.options.db
        .transaction()
        .execute((trx) => this.sql.createQueue(kyselyExecutor(trx), name, options));
      q.catch(() => this.queues.delete(name));
      this.queues.set(name, q);
    }
    return q;
  }

  async enqueue<P>(name: string, payload: P, o: EnqueueOptions = {}): Promise<EnqueuedJob> {
    await this.ensureQueue(name);
    const id = o.key === undefined ? null : keyedJobId(name, o.key);
    const data: Envelope = {
      payload: payload ?? null,
      tenantId: o.tenantId ?? null,
      subjectId: o.subjectId ?? null,
    };
    const reg = this.handlers.get(name);
    const maxAttempts = o.maxAttempts ?? reg?.maxAttempts ?? 10;
    // pg-boss copies a job that fails for good into its dead letter queue, in the statement that
    // fails it: the supervisor's, too, when the job's last attempt expired with its worker.
    const deadLetter = reg?.deadLetter ?? null;
    if (deadLetter !== null) await this.ensureQueue(deadLetter);
    const created = await this.boss.send(name, data as object, {
      ...(id ? { id } : {}),
      ...(deadLetter !== null ? { deadLetter } : {}),
      retryLimit: maxAttempts - 1,
      ...(o.runAt ? { startAfter: o.runAt } : {}),
      ...(o.transaction ? { db: kyselyExecutor(o.transaction) } : {}),
    });
    if (created) {
      if (!o.transaction) this.wake();
      return { id: created, created: true };
    }
    if (!id) throw new Error(`job ${name} was not enqueued`);
    return { id, created: false };
  }

  async get(id: string): Promise<JobInfo | undefined> {
    const row = await this.sql.findJob(this.db, id);
    if (!row) return undefined;
    const env = row.data as Envelope;
    return {
      id: row.id,
      name: row.name,
      status: statusOf(row.state),
      attempts: row.started_on ? row.retry_count + 1 : 0,
      maxAttempts: row.retry_limit + 1,
      runAt: new Date(row.start_after).toISOString(),
      lastError: errorText(row.output),
      payload: env?.payload ?? null,
      createdAt: new Date(row.created_on).toISOString(),
      updatedAt: new Date(row.completed_on ?? row.started_on ?? row.created_on).toISOString(),
    };
  }

  cancelForSubject(tenantId: string, subjectId: string): Promise<number> {
    return this.sql.cancelSubjectJobs(this.db, tenantId, subjectId);
  }

  forgetSubject(
    tenantId: string,
    subjectId: string,
    o: { transaction?: Kysely<Database> | undefined } = {},
  ): Promise<number> {
    const db = o.transaction ? kyselyExecutor(o.transaction) : this.db;
    return this.sql.deleteFinishedSubjectJobs(db, tenantId, subjectId);
  }

  async stats(): Promise<QueueStats[]> {
    return this.sql.stats(this.db);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.heartbeat = setInterval(() => void this.beat(), Math.max(50, Math.floor(this.vt / 3)));
    this.heartbeat.unref();
    this.schedulePoll(0);
  }

  protected async stopOnce(graceMs: number): Promise<void> {
    await this.stopPolling(graceMs);
    // What is still running is released: due at once, for another replica or the next start.
    for (const [id, r] of this.running) {
      r.abort.abort();
      await this.sql
        .release(this.db, r.name, id)
        .catch((err) => this.options.logger?.error({ err, job: id }, 'could not release a job'));
    }
    if (this.heartbeat) clearInterval(this.heartbeat);
    // pg-boss's own workers are not used, so there is nothing of ours for it to fail.
    await this.boss.stop({ graceful: false, wait: true, timeout: 1000 });
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (this.running.size === 0 && !(await this.sql.hasPending(this.db, [...this.handlers.keys()]))) return;
      if (Date.now() > until) throw new Error('the job queue did not drain in time');
      this.wake();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  // ---- the worker ----

  protected get database(): Kysely<Database> {
    return this.options.db;
  }

  protected async claim(wanted: { reg: Registered; free: number }[]): Promise<ClaimedJob[][]> {
    const out: ClaimedJob[][] = [];
    for (const { reg, free } of wanted) {
      try {
        await this.ensureQueue(reg.name);
        const jobs = (await this.boss.fetch<Envelope>(reg.name, {
          batchSize: free,
          includeMetadata: true,
        })) as FetchedJob[];
        out.push(jobs.map(claimed));
      } catch (err) {
        // The queues fetched before this one keep their jobs: each fetch is its own transaction.
        this.logger?.error({ err }, 'could not claim jobs');
        out.push([]);
      }
    }
    return out;
  }

  protected async completeIn(trx: Kysely<Database>, reg: Registered, job: ClaimedJob): Promise<void> {
    if (!(await this.sql.complete(kyselyExecutor(trx), reg.name, job.id)))
      throw new JobWithdrawnError(job.id);
  }

  protected async complete(reg: Registered, job: ClaimedJob): Promise<void> {
    await this.boss.complete(reg.name, job.id);
  }

  protected async settle(
    reg: Registered,
    job: ClaimedJob,
    message: string,
    delayMs: number | null,
  ): Promise<void> {
    await this.options.db.transaction().execute(async (trx) => {
      const db = kyselyExecutor(trx);
      if (delayMs === null) await this.sql.spendAttempts(db, reg.name, job.id);
      await this.boss.fail(reg.name, job.id, { message }, { db });
      if (delayMs !== null) await this.sql.delayRetry(db, reg.name, job.id, delayMs);
    });
  }

  /** Keeps the running jobs' expiry ahead, so the supervisor retries only a dead replica's jobs. */
  private async beat(): Promise<void> {
    if (this.running.size === 0) return;
    try {
      await this.sql.touch(this.db, [...this.running.keys()]);
    } catch (err) {
      this.options.logger?.error({ err }, 'could not extend job locks');
    }
  }
}

function statusOf(state: string): JobStatus {
  if (state === 'created' || state === 'retry') return 'queued';
  if (state === 'active') return 'running';
  return state as JobStatus;
}

function errorText(output: unknown): string | null {
  if (!output || typeof output !== 'object') return null;
  const o = output as { message?: unknown; value?: { message?: unknown } };
  const m = o.message ?? o.value?.message;
  return typeof m === 'string' ? m : null;
}

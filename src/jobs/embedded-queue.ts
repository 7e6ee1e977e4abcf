/**
 * The embedded queue: jobs live in the `jobs` table of Credence's own database (SQLite or
 * PostgreSQL) and run in this process. Enqueues that arrive in the same turn of the event loop
 * are inserted in one transaction, and completions likewise, so that the queue costs a few short
 * transactions per batch of jobs: on SQLite the event loop shares the database with the history
 * writer thread, and long transactions there would stall both.
 *
 * A claimed job is locked for the visibility timeout, and the lock is extended while its handler
 * runs; if the process dies, the lock runs out and the job is claimed again.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../db/database.js';
import {
  cancelSubjectJobs,
  claimJobs,
  completeJobs,
  deleteFinishedSubjectJobs,
  extendLocks,
  findJob,
  findJobIdsByKey,
  hasClaimableJobs,
  hasPendingJobs,
  insertJobs,
  jobCounts,
  purgeFinishedJobs,
  rescheduleJob,
} from '../db/repositories/job.repository.js';
import type { Database, JobRow, JobTable } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import {
  type ClaimedJob,
  ERROR_TEXT_LIMIT,
  PollingWorker,
  type Registered,
  type WorkerLogger,
} from './polling-worker.js';
import type { EnqueuedJob, EnqueueOptions, JobInfo, JobQueue, JobStatus, QueueStats } from './queue.js';
import { JobWithdrawnError } from './queue.js';

export interface EmbeddedQueueOptions {
  /** How long a claimed job stays locked without a heartbeat (default 30 s). */
  visibilityTimeoutMs?: number;
  /** How often an idle worker looks for due jobs (default 200 ms). */
  pollIntervalMs?: number;
  /** How long completed and cancelled jobs are kept (default 1 day). */
  retentionMs?: number;
  random?: () => number;
  logger?: WorkerLogger;
}

interface PendingEnqueue {
  row: JobTable;
  resolve: (j: EnqueuedJob) => void;
  reject: (e: unknown) => void;
}

/** A claimed row, with what the worker loop reads of it. */
interface EmbeddedJob extends ClaimedJob {
  row: JobRow;
}

function claimed(row: JobRow): EmbeddedJob {
  return {
    id: row.id,
    attempt: row.attempts,
    maxAttempts: row.max_attempts,
    get payload() {
      return JSON.parse(row.payload);
    },
    tenantId: row.tenant_id,
    row,
  };
}

export class EmbeddedQueue extends PollingWorker<EmbeddedJob> implements JobQueue {
  private readonly worker = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly vt: number;
  private readonly retentionMs: number;
  private enqueues: PendingEnqueue[] = [];
  private completions: string[] = [];
  private flushing: Promise<void> | null = null;
  private flushScheduled = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private purger: NodeJS.Timeout | null = null;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly clock: Clock,
    private readonly options: EmbeddedQueueOptions = {},
  ) {
    super(options.pollIntervalMs ?? 200, options.random ?? Math.random, options.logger);
    this.vt = options.visibilityTimeoutMs ?? 30_000;
    this.retentionMs = options.retentionMs ?? 24 * 3600_000;
  }

  private get db(): Kysely<Database> {
    return this.handle.db;
  }

  protected get database(): Kysely<Database> {
    return this.handle.db;
  }

  enqueue<P>(name: string, payload: P, o: EnqueueOptions = {}): Promise<EnqueuedJob> {
    const row = this.newRow(name, JSON.stringify(payload ?? null), o);
    if (o.transaction) return this.insertNow(o.transaction, [row]).then((r) => r[0]!);
    return new Promise((resolve, reject) => {
      this.enqueues.push({ row, resolve, reject });
      this.scheduleFlush();
    });
  }

  async get(id: string): Promise<JobInfo | undefined> {
    await this.flush();
    const r = await findJob(this.db, id);
    return r ? toInfo(r) : undefined;
  }

  async cancelForSubject(tenantId: string, subjectId: string): Promise<number> {
    await this.flush();
    return cancelSubjectJobs(this.db, tenantId, subjectId, this.now());
  }

  forgetSubject(
    tenantId: string,
    subjectId: string,
    o: { transaction?: Kysely<Database> | undefined } = {},
  ): Promise<number> {
    return deleteFinishedSubjectJobs(o.transaction ?? this.db, tenantId, subjectId);
  }

  async stats(): Promise<QueueStats[]> {
    await this.flush();
    const now = this.clock.now();
    return (await jobCounts(this.db, now.toISOString())).map((r) => ({
      name: r.name,
      queued: r.queued,
      running: r.running,
      oldestDueSeconds: r.oldestDue ? Math.max(0, (now.getTime() - Date.parse(r.oldestDue)) / 1000) : 0,
    }));
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.heartbeat = setInterval(() => void this.extend(), Math.max(50, Math.floor(this.vt / 3)));
    this.heartbeat.unref();
    this.purger = setInterval(() => void this.purge(), 60_000);
    this.purger.unref();
    void this.purge();
    this.schedulePoll(0);
  }

  protected async stopOnce(graceMs: number): Promise<void> {
    await this.stopPolling(graceMs);
    await this.flush();
    // What is still running is released: taken again at once by the next worker to look.
    const now = this.now();
    for (const [id, r] of this.running) {
      r.abort.abort();
      await rescheduleJob(this.db, {
        id,
        worker: this.worker,
        runAt: now,
        error: 'released at shutdown',
        now,
        refund: true,
      }).catch((err) => this.options.logger?.error({ err, job: id }, 'could not release a job'));
    }
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.purger) clearInterval(this.purger);
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      await this.flush();
      if (this.running.size === 0 && !(await hasPendingJobs(this.db, [...this.handlers.keys()], this.now())))
        return;
      if (Date.now() > until) throw new Error('the job queue did not drain in time');
      this.wake();
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private newRow(name: string, payload: string, o: EnqueueOptions): JobTable {
    const now = this.now();
    return {
      id: newId('job'),
      name,
      status: 'queued',
      payload,
      dedupe_key: o.key ?? null,
      tenant_id: o.tenantId ?? null,
      subject_id: o.subjectId ?? null,
      attempts: 0,
      max_attempts: o.maxAttempts ?? this.handlers.get(name)?.maxAttempts ?? 10,
      run_at: o.runAt ? o.runAt.toISOString() : now,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    };
  }

  // ---- batching of writes ----

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /** Writes the enqueues and completions gathered so far; resolves when they are committed. */
  private async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.enqueues.length === 0 && this.completions.length === 0) return;
    const enqueues = this.enqueues;
    const completions = this.completions;
    this.enqueues = [];
    this.completions = [];
    this.flushing = (async () => {
      if (enqueues.length > 0) {
        try {
          const results = await this.db.transaction().execute((trx) =>
            this.insertNow(
              trx,
              enqueues.map((e) => e.row),
            ),
          );
          for (let i = 0; i < enqueues.length; i++) enqueues[i]!.resolve(results[i]!);
          this.wake();
        } catch (err) {
          for (const e of enqueues) e.reject(err);
        }
      }
      if (completions.length > 0) {
        try {
          await completeJobs(this.db, completions, this.worker, this.now());
        } catch (err) {
          // The jobs stay locked and run again when the lock expires: handlers are idempotent.
          this.options.logger?.error({ err }, 'could not mark jobs completed');
        }
      }
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  private async insertNow(db: Kysely<Database>, rows: JobTable[]): Promise<EnqueuedJob[]> {
    const inserted = await insertJobs(db, rows);
    const byName = new Map<string, string[]>();
    for (const r of rows) {
      if (inserted.has(r.id) || r.dedupe_key === null) continue;
      byName.set(r.name, [...(byName.get(r.name) ?? []), r.dedupe_key]);
    }
    const existing = new Map<string, string>();
    for (const [name, keys] of byName) {
      for (const [k, id] of await findJobIdsByKey(db, name, keys)) existing.set(`${name}\u0000${k}`, id);
    }
    return rows.map((r) =>
      inserted.has(r.id)
        ? { id: r.id, created: true }
        : { id: existing.get(`${r.name}\u0000${r.dedupe_key}`) ?? r.id, created: false },
    );
  }

  // ---- the worker ----

  protected async claim(wanted: { reg: Registered; free: number }[]): Promise<EmbeddedJob[][]> {
    if (wanted.length === 0) return [];
    const now = this.clock.now();
    // Look before taking the write lock: most polls find nothing, and on SQLite a write waits
    // (synchronously, holding up every request) while another connection commits.
    const names = wanted.map((w) => w.reg.name);
    if (!(await hasClaimableJobs(this.db, names, now.toISOString()))) return wanted.map(() => []);
    // Every name's claim in one transaction: one commit per poll, however many names have work.
    return this.db.transaction().execute(async (trx) => {
      const out: EmbeddedJob[][] = [];
      for (const { reg, free } of wanted) {
        const jobs = await claimJobs(trx, {
          name: reg.name,
          limit: free,
          worker: this.worker,
          now: now.toISOString(),
          lockedUntil: new Date(now.getTime() + this.vt).toISOString(),
          postgres: this.handle.engine === 'postgres',
        });
        out.push(jobs.map(claimed));
      }
      return out;
    });
  }

  protected override exhausted(job: EmbeddedJob): boolean {
    return job.row.attempts > job.row.max_attempts;
  }

  protected async completeIn(trx: Kysely<Database>, _reg: Registered, job: EmbeddedJob): Promise<void> {
    if ((await completeJobs(trx, [job.id], this.worker, this.now())) === 0)
      throw new JobWithdrawnError(job.id);
  }

  protected async complete(_reg: Registered, job: EmbeddedJob): Promise<void> {
    this.completions.push(job.id);
    this.scheduleFlush();
  }

  protected async settle(
    reg: Registered,
    job: EmbeddedJob,
    error: string,
    delayMs: number | null,
  ): Promise<void> {
    const change = {
      id: job.id,
      worker: this.worker,
      runAt: delayMs === null ? null : new Date(this.clock.now().getTime() + delayMs).toISOString(),
      error: error.slice(0, ERROR_TEXT_LIMIT),
      now: this.now(),
    };
    const deadLetter = delayMs === null ? reg.deadLetter : null;
    if (deadLetter === null) {
      await rescheduleJob(this.db, change);
      return;
    }
    // Failed and its dead letter queued together, or neither (keyed by the job: once only).
    const queued = await this.db.transaction().execute(async (trx) => {
      if (!(await rescheduleJob(trx, change))) return false;
      const { row } = job;
      await this.insertNow(trx, [
        this.newRow(deadLetter, row.payload, {
          key: row.id,
          tenantId: row.tenant_id ?? undefined,
          subjectId: row.subject_id ?? undefined,
        }),
      ]);
      return true;
    });
    if (queued) this.wake();
  }

  private async extend(): Promise<void> {
    if (this.running.size === 0) return;
    const until = new Date(this.clock.now().getTime() + this.vt).toISOString();
    try {
      await extendLocks(this.db, [...this.running.keys()], this.worker, until);
    } catch (err) {
      this.options.logger?.error({ err }, 'could not extend job locks');
    }
  }

  /**
   * Deletes finished jobs past their retention, in short transactions of a few thousand rows (a
   * long one would hold the SQLite write lock), up to 50,000 a minute: far more than a busy
   * server finishes.
   */
  private async purge(): Promise<void> {
    try {
      const before = new Date(this.clock.now().getTime() - this.retentionMs).toISOString();
      for (let i = 0; i < 10 && !this.stopping; i++) {
        if ((await purgeFinishedJobs(this.db, before, 5000)) < 5000) break;
        await new Promise((r) => setImmediate(r));
      }
    } catch (err) {
      this.options.logger?.warn({ err }, 'could not purge finished jobs');
    }
  }
}

function toInfo(r: JobRow): JobInfo {
  return {
    id: r.id,
    name: r.name,
    status: r.status as JobStatus,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: r.run_at,
    lastError: r.last_error,
    payload: JSON.parse(r.payload),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

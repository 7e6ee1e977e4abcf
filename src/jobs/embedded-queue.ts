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
  extendLocks,
  findJob,
  findJobIdsByKey,
  hasPendingJobs,
  insertJobs,
  purgeFinishedJobs,
  rescheduleJob,
} from '../db/repositories/job.repository.js';
import type { Database, JobRow, JobTable } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { backoffDelay } from './backoff.js';
import {
  type EnqueuedJob,
  type EnqueueOptions,
  type HandlerOptions,
  type JobHandler,
  type JobInfo,
  type JobQueue,
  type JobStatus,
  PermanentJobError,
  RetryJobError,
} from './queue.js';

export interface EmbeddedQueueOptions {
  /** How long a claimed job stays locked without a heartbeat (default 30 s). */
  visibilityTimeoutMs?: number;
  /** How often an idle worker looks for due jobs (default 200 ms). */
  pollIntervalMs?: number;
  /** How long completed and cancelled jobs are kept (default 1 day). */
  retentionMs?: number;
  random?: () => number;
  logger?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

interface Registered {
  handler: JobHandler<unknown>;
  concurrency: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  running: number;
  /** The last claim filled every free slot: there may be more due. */
  more: boolean;
}

interface PendingEnqueue {
  row: JobTable;
  resolve: (j: EnqueuedJob) => void;
  reject: (e: unknown) => void;
}

interface Running {
  promise: Promise<void>;
  abort: AbortController;
}

const ERROR_TEXT_LIMIT = 1000;

export class EmbeddedQueue implements JobQueue {
  private readonly handlers = new Map<string, Registered>();
  private readonly running = new Map<string, Running>();
  private readonly worker = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly vt: number;
  private readonly pollMs: number;
  private readonly retentionMs: number;
  private readonly random: () => number;
  private enqueues: PendingEnqueue[] = [];
  private completions: string[] = [];
  private flushing: Promise<void> | null = null;
  private flushScheduled = false;
  private started = false;
  private stopping = false;
  private polling = false;
  private pollAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private purger: NodeJS.Timeout | null = null;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly clock: Clock,
    private readonly options: EmbeddedQueueOptions = {},
  ) {
    this.vt = options.visibilityTimeoutMs ?? 30_000;
    this.pollMs = options.pollIntervalMs ?? 200;
    this.retentionMs = options.retentionMs ?? 24 * 3600_000;
    this.random = options.random ?? Math.random;
  }

  private get db(): Kysely<Database> {
    return this.handle.db;
  }

  register<P>(name: string, handler: JobHandler<P>, o: HandlerOptions = {}): void {
    if (this.handlers.has(name)) throw new Error(`a handler for job ${name} is registered already`);
    this.handlers.set(name, {
      handler: handler as JobHandler<unknown>,
      concurrency: o.concurrency ?? 8,
      maxAttempts: o.maxAttempts ?? 10,
      backoffBaseMs: o.backoffBaseMs ?? 1000,
      backoffMaxMs: o.backoffMaxMs ?? 3600_000,
      running: 0,
      more: true,
    });
    this.wake();
  }

  enqueue<P>(name: string, payload: P, o: EnqueueOptions = {}): Promise<EnqueuedJob> {
    const now = this.now();
    const row: JobTable = {
      id: newId('job'),
      name,
      status: 'queued',
      payload: JSON.stringify(payload ?? null),
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

  wake(): void {
    if (!this.started || this.stopping) return;
    this.schedulePoll(0);
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

  async stop(o: { graceMs?: number } = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const inFlight = [...this.running.values()];
    if (inFlight.length > 0) {
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(inFlight.map((r) => r.promise)),
        new Promise((resolve) => {
          timeout = setTimeout(resolve, o.graceMs ?? 10_000);
        }),
      ]);
      clearTimeout(timeout);
    }
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

  private schedulePoll(delayMs: number): void {
    if (this.stopping) return;
    if (this.polling) {
      if (delayMs === 0) this.pollAgain = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    this.timer = null;
    if (this.stopping) return;
    this.polling = true;
    this.pollAgain = false;
    try {
      const wanted: [string, Registered, number][] = [];
      for (const [name, reg] of this.handlers) {
        const free = reg.concurrency - reg.running;
        // Every slot is busy, so due jobs may be waiting: look again as soon as one frees.
        if (free <= 0) reg.more = true;
        else wanted.push([name, reg, free]);
      }
      const now = this.clock.now();
      // Every name's claim in one transaction: one commit per poll, however many names have work.
      const claimed = await this.db.transaction().execute(async (trx) => {
        const out: [Registered, JobRow[], number][] = [];
        for (const [name, reg, free] of wanted) {
          const jobs = await claimJobs(trx, {
            name,
            limit: free,
            worker: this.worker,
            now: now.toISOString(),
            lockedUntil: new Date(now.getTime() + this.vt).toISOString(),
            postgres: this.handle.engine === 'postgres',
          });
          out.push([reg, jobs, free]);
        }
        return out;
      });
      for (const [reg, jobs, free] of claimed) {
        reg.more = jobs.length === free;
        for (const job of jobs) this.run(reg, job);
      }
    } catch (err) {
      this.options.logger?.error({ err }, 'could not claim jobs');
    } finally {
      this.polling = false;
    }
    const more = [...this.handlers.values()].some((r) => r.more && r.running < r.concurrency);
    this.schedulePoll(this.pollAgain || more ? 0 : this.pollMs);
  }

  private run(reg: Registered, job: JobRow): void {
    if (this.stopping) return;
    reg.running++;
    const abort = new AbortController();
    const promise = this.execute(reg, job, abort.signal).finally(() => {
      reg.running--;
      this.running.delete(job.id);
      if (reg.more) this.schedulePoll(0);
    });
    this.running.set(job.id, { promise, abort });
  }

  private async execute(reg: Registered, job: JobRow, signal: AbortSignal): Promise<void> {
    if (job.attempts > job.max_attempts) {
      // Its workers kept dying while running it: stop taking it.
      await this.settle(job, null, 'the job was interrupted on every attempt');
      return;
    }
    let completed = false;
    const transaction = async <T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> => {
      const value = await this.db.transaction().execute(async (trx) => {
        const v = await fn(trx);
        await completeJobs(trx, [job.id], this.worker, this.now());
        return v;
      });
      completed = true;
      return value;
    };
    try {
      await reg.handler(JSON.parse(job.payload), {
        id: job.id,
        name: job.name,
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
        tenantId: job.tenant_id,
        signal,
        transaction,
      });
      if (signal.aborted || completed) return;
      this.completions.push(job.id);
      this.scheduleFlush();
    } catch (err) {
      if (signal.aborted) return;
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof PermanentJobError || job.attempts >= job.max_attempts) {
        this.options.logger?.warn({ job: job.id, name: job.name, err: message }, 'job failed for good');
        await this.settle(job, null, message);
        return;
      }
      const delay =
        err instanceof RetryJobError && err.delayMs !== undefined
          ? err.delayMs
          : backoffDelay(job.attempts, { baseMs: reg.backoffBaseMs, maxMs: reg.backoffMaxMs }, this.random);
      const runAt = new Date(this.clock.now().getTime() + delay).toISOString();
      await this.settle(job, runAt, message);
    }
  }

  private async settle(job: JobRow, runAt: string | null, error: string): Promise<void> {
    try {
      await rescheduleJob(this.db, {
        id: job.id,
        worker: this.worker,
        runAt,
        error: error.slice(0, ERROR_TEXT_LIMIT),
        now: this.now(),
      });
    } catch (err) {
      this.options.logger?.error({ err, job: job.id }, 'could not reschedule a job');
    }
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

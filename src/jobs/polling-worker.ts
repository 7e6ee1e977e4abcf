/**
 * What both queue backends do the same way in the process that runs jobs: the registered
 * handlers and their free slots, a poll loop that claims as many due jobs as there are free slots
 * (and looks again at once while claims fill them), the handler's context with its completing
 * transaction, the choice between a retry after backoff and failing for good, and waiting for
 * in-flight jobs at shutdown. A backend supplies how jobs are claimed, completed and settled.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { backoffDelay } from './backoff.js';
import {
  type HandlerOptions,
  type JobFinishedListener,
  type JobHandler,
  type JobOutcome,
  JobWithdrawnError,
  PermanentJobError,
  RetryJobError,
} from './queue.js';

export const ERROR_TEXT_LIMIT = 1000;

export interface Registered {
  name: string;
  handler: JobHandler<unknown>;
  concurrency: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** The job enqueued when one of this name fails for good (HandlerOptions.deadLetter). */
  deadLetter: string | null;
  running: number;
  /** The last claim filled every free slot: there may be more due. */
  more: boolean;
}

export interface Running {
  name: string;
  promise: Promise<void>;
  abort: AbortController;
}

/** A claimed job as the worker loop sees it, whatever the backend's row looks like. */
export interface ClaimedJob {
  id: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  payload: unknown;
  tenantId: string | null;
}

export interface WorkerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export abstract class PollingWorker<J extends ClaimedJob> {
  protected readonly handlers = new Map<string, Registered>();
  protected readonly running = new Map<string, Running>();
  protected started = false;
  protected stopping = false;
  private stopped: Promise<void> | undefined;
  private polling = false;
  private pollAgain = false;
  private timer: NodeJS.Timeout | null = null;
  onFinished: JobFinishedListener | undefined;

  constructor(
    private readonly pollMs: number,
    private readonly random: () => number,
    protected readonly logger: WorkerLogger | undefined,
  ) {}

  /** Claims up to `free` due jobs for each handler named: the jobs of each, in the same order. */
  protected abstract claim(wanted: { reg: Registered; free: number }[]): Promise<J[][]>;
  /** Marks the job completed inside the handler's transaction. */
  protected abstract completeIn(trx: Kysely<Database>, reg: Registered, job: J): Promise<void>;
  /** Marks the job completed after its handler returned without completing it. */
  protected abstract complete(reg: Registered, job: J): Promise<void>;
  /**
   * Fails the job: for good (`delayMs` null), enqueueing the registration's dead letter in the
   * same transaction, or to run again after `delayMs`.
   */
  protected abstract settle(reg: Registered, job: J, error: string, delayMs: number | null): Promise<void>;
  /** The database the handlers' transactions run on. */
  protected abstract get database(): Kysely<Database>;

  /** A job whose workers kept dying while running it: fail it rather than run it again. */
  protected exhausted(_job: J): boolean {
    return false;
  }

  register<P>(name: string, handler: JobHandler<P>, o: HandlerOptions = {}): void {
    if (this.handlers.has(name)) throw new Error(`a handler for job ${name} is registered already`);
    this.handlers.set(name, {
      name,
      handler: handler as JobHandler<unknown>,
      concurrency: o.concurrency ?? 8,
      maxAttempts: o.maxAttempts ?? 10,
      backoffBaseMs: o.backoffBaseMs ?? 1000,
      backoffMaxMs: o.backoffMaxMs ?? 3600_000,
      deadLetter: o.deadLetter ?? null,
      running: 0,
      more: true,
    });
    this.wake();
  }

  wake(): void {
    if (!this.started || this.stopping) return;
    this.schedulePoll(0);
  }

  /**
   * Stops taking jobs, waits up to `graceMs` (10 s unless given) for running ones, then releases
   * those still running. A second call waits for the same stop rather than starting another.
   */
  stop(o: { graceMs?: number } = {}): Promise<void> {
    this.stopped ??= this.stopOnce(o.graceMs ?? 10_000);
    return this.stopped;
  }

  /** The queue's stop: `stopPolling`, then the release of what is still running. */
  protected abstract stopOnce(graceMs: number): Promise<void>;

  /** Stops polling and waits up to `graceMs` for the running jobs; those left stay in `running`. */
  protected async stopPolling(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const inFlight = [...this.running.values()];
    if (inFlight.length > 0) {
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(inFlight.map((r) => r.promise)),
        new Promise((resolve) => {
          timeout = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timeout);
    }
  }

  protected schedulePoll(delayMs: number): void {
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
      const wanted: { reg: Registered; free: number }[] = [];
      for (const reg of this.handlers.values()) {
        const free = reg.concurrency - reg.running;
        // Every slot is busy, so due jobs may be waiting: look again as soon as one frees.
        if (free <= 0) reg.more = true;
        else wanted.push({ reg, free });
      }
      const claimed = await this.claim(wanted);
      wanted.forEach(({ reg, free }, i) => {
        const jobs = claimed[i] ?? [];
        reg.more = jobs.length === free;
        for (const job of jobs) this.run(reg, job);
      });
    } catch (err) {
      this.logger?.error({ err }, 'could not claim jobs');
    } finally {
      this.polling = false;
    }
    const more = [...this.handlers.values()].some((r) => r.more && r.running < r.concurrency);
    this.schedulePoll(this.pollAgain || more ? 0 : this.pollMs);
  }

  private run(reg: Registered, job: J): void {
    if (this.stopping) return;
    reg.running++;
    const abort = new AbortController();
    const promise = this.execute(reg, job, abort.signal).finally(() => {
      reg.running--;
      this.running.delete(job.id);
      if (reg.more) this.schedulePoll(0);
    });
    this.running.set(job.id, { name: reg.name, promise, abort });
  }

  private async execute(reg: Registered, job: J, signal: AbortSignal): Promise<void> {
    const started = performance.now();
    const outcome = await this.attempt(reg, job, signal);
    this.onFinished?.(reg.name, outcome, (performance.now() - started) / 1000);
  }

  /** Runs the job's handler and settles the job; says how the run ended. */
  private async attempt(reg: Registered, job: J, signal: AbortSignal): Promise<JobOutcome> {
    if (this.exhausted(job)) {
      await this.settleOrLog(reg, job, 'the job was interrupted on every attempt', null);
      return 'failed';
    }
    let completed = false;
    const transaction = async <T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> => {
      const value = await this.database.transaction().execute(async (trx) => {
        const v = await fn(trx);
        await this.completeIn(trx, reg, job);
        return v;
      });
      completed = true;
      return value;
    };
    try {
      await reg.handler(job.payload, {
        id: job.id,
        name: reg.name,
        attempt: job.attempt,
        maxAttempts: job.maxAttempts,
        tenantId: job.tenantId,
        signal,
        transaction,
      });
      if (completed) return 'completed';
      if (signal.aborted) return 'released';
      await this.complete(reg, job);
      return 'completed';
    } catch (err) {
      if (signal.aborted) return 'released';
      if (err instanceof JobWithdrawnError) {
        this.logger?.info({ job: job.id, name: reg.name }, err.message);
        return 'withdrawn';
      }
      const message = (err instanceof Error ? err.message : String(err)).slice(0, ERROR_TEXT_LIMIT);
      if (err instanceof PermanentJobError || job.attempt >= job.maxAttempts) {
        this.logger?.warn({ job: job.id, name: reg.name, err: message }, 'job failed for good');
        await this.settleOrLog(reg, job, message, null);
        return 'failed';
      }
      const delay =
        err instanceof RetryJobError && err.delayMs !== undefined
          ? err.delayMs
          : backoffDelay(job.attempt, { baseMs: reg.backoffBaseMs, maxMs: reg.backoffMaxMs }, this.random);
      await this.settleOrLog(reg, job, message, delay);
      return 'retry';
    }
  }

  private async settleOrLog(reg: Registered, job: J, error: string, delayMs: number | null): Promise<void> {
    try {
      await this.settle(reg, job, error, delayMs);
    } catch (err) {
      this.logger?.error({ err, job: job.id }, 'could not reschedule a job');
    }
  }
}

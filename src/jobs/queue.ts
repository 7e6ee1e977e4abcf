/**
 * The job queue: one interface, chosen once where the context is built. The embedded backend
 * (embedded-queue.ts) keeps jobs in a table of the same database and runs them in this process;
 * the scale-out backend (pgboss-queue.ts, pg-boss on PostgreSQL) implements the same interface;
 * queue-factory.ts chooses.
 *
 * Delivery is at least once: a job whose worker dies is taken again once its visibility timeout
 * passes, so handlers must be idempotent (make the effect keyed by something in the payload).
 * From the caller's view a job then completes exactly once: enqueueing the same (name, key) twice
 * gives the same job, and a job moves to `completed` once.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface JobContext {
  id: string;
  name: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  tenantId: string | null;
  /** Aborted when the queue stops and the grace period is over: give up and leave the job to be retried. */
  signal: AbortSignal;
  /**
   * Runs `fn` in a transaction that also marks the job completed, so that the handler's last
   * writes and the completion commit together (one commit instead of two). Call it last: the job
   * is completed once it commits, whatever the handler does after. If the worker no longer holds
   * the job (cancelled, or taken by another worker), it rolls back with JobWithdrawnError.
   */
  transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
}

export type JobHandler<P = unknown> = (payload: P, job: JobContext) => Promise<void>;

export interface HandlerOptions {
  /** How many jobs of this name run at once in this process (default 8). */
  concurrency?: number;
  /** Attempts before a job of this name fails for good, unless enqueued with its own (default 10). */
  maxAttempts?: number;
  /** First retry delay of the exponential backoff (default 1 s). */
  backoffBaseMs?: number;
  /** Longest retry delay (default 1 h). */
  backoffMaxMs?: number;
  /**
   * A job to enqueue, with the same payload, when a job of this name fails for good: its last
   * attempt failed, it threw PermanentJobError, or its workers died while running it on every
   * attempt. It is enqueued in the transaction that fails the job, by whichever process fails it
   * (on pg-boss, its supervisor), so a job interrupted on its last attempt leads to it too. Its
   * handler must be registered and, like every handler, idempotent.
   */
  deadLetter?: string;
}

export interface EnqueueOptions {
  /** A job with the same name and key already enqueued (in any state) is returned instead. */
  key?: string | undefined;
  /** Run no earlier than this. */
  runAt?: Date | undefined;
  maxAttempts?: number | undefined;
  tenantId?: string | undefined;
  /** The subject the job is about: erasing the subject cancels the job. */
  subjectId?: string | undefined;
  /**
   * Enqueue inside this transaction, so the job exists if and only if the caller's writes commit.
   * Call `wake()` after the commit so the worker does not wait for its next poll.
   */
  transaction?: Kysely<Database> | undefined;
}

export interface EnqueuedJob {
  id: string;
  /** False when an existing job with the same key was returned. */
  created: boolean;
}

export interface JobInfo {
  id: string;
  name: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  payload: unknown;
  createdAt: string;
  updatedAt: string;
}

/** What waits and what runs, for one job name (the metrics). */
export interface QueueStats {
  name: string;
  queued: number;
  running: number;
  /** How long the longest-waiting due job has waited, in seconds (0 when none is due). */
  oldestDueSeconds: number;
}

/**
 * How one run of a job in this process ended: completed; failed and to run again (`retry`); failed
 * for good (`failed`, its dead letter enqueued); withdrawn (cancelled, or taken by another worker,
 * while it ran); or `released` at shutdown, to be taken again by the next worker.
 */
export type JobOutcome = 'completed' | 'retry' | 'failed' | 'withdrawn' | 'released';

/** Told of every job run of this process as it ends (the metrics). */
export type JobFinishedListener = (name: string, outcome: JobOutcome, seconds: number) => void;

export interface JobQueue {
  /** Registers the handler for jobs named `name`; jobs run only for registered names. */
  register<P>(name: string, handler: JobHandler<P>, options?: HandlerOptions): void;
  enqueue<P>(name: string, payload: P, options?: EnqueueOptions): Promise<EnqueuedJob>;
  get(id: string): Promise<JobInfo | undefined>;
  /**
   * Cancels the queued and running jobs about a subject (when it is erased); returns how many. A
   * running job's handler may go on, but its transaction no longer commits (JobWithdrawnError).
   */
  cancelForSubject(tenantId: string, subjectId: string): Promise<number>;
  /**
   * Deletes the finished jobs about a subject (when it is erased, after `cancelForSubject`): a
   * finished job still names the subject and the tenant, and would outlive it until its retention
   * passed. Given a transaction, in it, so that they go with the rest of the person. Returns how many.
   */
  forgetSubject(
    tenantId: string,
    subjectId: string,
    options?: { transaction?: Kysely<Database> | undefined },
  ): Promise<number>;
  /** Queued and running jobs by name, across every worker of the database. */
  stats(): Promise<QueueStats[]>;
  /** Tells the worker there may be new jobs (after a transactional enqueue committed). */
  wake(): void;
  /** Starts taking jobs. */
  start(): void;
  /**
   * Stops taking jobs, waits up to `graceMs` for running ones to finish, then releases those still
   * running so that another worker (or the next start) takes them at once.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Resolves when no registered job is queued and due, or running (tests, benchmarks). */
  drain(timeoutMs?: number): Promise<void>;
  /** Called as each job run of this process ends, with how it ended and how long it ran. */
  onFinished: JobFinishedListener | undefined;
}

/** Thrown by a handler to retry after a delay it chooses (e.g. from a Retry-After header). */
export class RetryJobError extends Error {
  override name = 'RetryJobError';
  constructor(
    message: string,
    readonly delayMs?: number,
  ) {
    super(message);
  }
}

/**
 * Thrown where a job's transaction would complete it but the worker no longer holds it: the job
 * was cancelled while it ran (its subject erased), or its lease ran out and another worker took
 * it. The handler's transaction rolls back, so nothing it wrote outlives the cancellation, and
 * the job is neither retried nor failed by this worker.
 */
export class JobWithdrawnError extends Error {
  override name = 'JobWithdrawnError';
  constructor(id: string) {
    super(
      `job ${id} was withdrawn while it ran (cancelled, or taken by another worker); its work is rolled back`,
    );
  }
}

/** Thrown by a handler when retrying cannot help: the job fails at once. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

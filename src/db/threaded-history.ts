/**
 * The history of an SQLite file, written by a thread of its own (sqlite-writer-thread.ts). The
 * event loop posts each run as soon as it is scored and goes on with the next request; the thread
 * group-commits and answers. A run is answered only once committed, so durability is unchanged.
 */
import type { Worker } from 'node:worker_threads';
import { spawnThread } from '../lib/spawn-thread.js';
import type { History } from './history.js';
import type { PendingRun } from './run-store.js';
import type { SqliteOptions } from './sqlite-connection.js';

export interface WriterData {
  file: string;
  keys: Uint8Array[];
  /** How the writer opens its connection: as every other connection to the file. */
  connection?: SqliteOptions;
}

export type ThreadRequest =
  | { type: 'write'; items: PackedRun[] }
  | { type: 'forget'; tenantId: string; partnerId: string }
  | { type: 'drain'; id: number }
  | { type: 'close' };

export type ThreadReply =
  | { type: 'ready' }
  | {
      /**
       * A batch committed (or refused): the runs from seq `first` on, in order, with each one's
       * subject id ('' for a refused run) and the message and code (SQLite's, when it has one) of
       * each refusal, by index.
       */
      type: 'settled';
      first: number;
      ids: string[];
      errors: [index: number, message: string, code: string | undefined][];
      stats: { commits: number; runs: number };
    }
  | { type: 'drained'; id: number };

/**
 * A run as it crosses to the writer thread: an array rather than an object, since structured
 * cloning copies every property name of every object.
 */
export type PackedRun = [
  seq: number,
  id: string,
  tenantId: string,
  partnerId: string,
  service: string,
  dialect: string,
  modelId: string | null,
  modelVersion: number | null,
  requestId: string | null,
  input: string,
  result: string,
  createdAt: string,
  identifiers: string[],
  challengerModelId: string | null,
  challengerModelVersion: number | null,
  challengerResult: string | null,
  purpose: string | null,
];

export function packRun(seq: number, r: PendingRun): PackedRun {
  const identifiers: string[] = [];
  for (const i of r.identifiers ?? []) identifiers.push(i.kind, i.value);
  return [
    seq,
    r.id,
    r.tenant_id,
    r.partner_id,
    r.service,
    r.dialect,
    r.model_id ?? null,
    r.model_version ?? null,
    r.request_id ?? null,
    r.input,
    r.result,
    r.created_at,
    identifiers,
    r.challenger_model_id ?? null,
    r.challenger_model_version ?? null,
    r.challenger_result ?? null,
    r.purpose ?? null,
  ];
}

export function unpackRun(p: PackedRun): PendingRun {
  const flat = p[12];
  const identifiers: { kind: string; value: string }[] = [];
  for (let i = 0; i < flat.length; i += 2) identifiers.push({ kind: flat[i]!, value: flat[i + 1]! });
  return {
    id: p[1],
    tenant_id: p[2],
    partner_id: p[3],
    service: p[4],
    dialect: p[5],
    model_id: p[6],
    model_version: p[7],
    request_id: p[8],
    input: p[9],
    result: p[10],
    created_at: p[11],
    identifiers,
    challenger_model_id: p[13],
    challenger_model_version: p[14],
    challenger_result: p[15],
    purpose: p[16],
  };
}

/** A thread that dies more often than this is not restarted: something is wrong with the database. */
const MAX_RESTARTS = 5;

export class WriterThreadError extends Error {
  override name = 'WriterThreadError';
  constructor(
    message: string,
    /** The code of the error in the thread (`SQLITE_BUSY`, ...), when it had one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

interface Waiter {
  seq: number;
  resolve: (subjectId: string) => void;
  reject: (e: Error) => void;
}

export class ThreadedHistory implements History {
  readonly stats = { commits: 0, runs: 0 };
  /** Started with the history, or at its first write when it is made to start lazily. */
  private worker: Worker | undefined;
  private seq = 0;
  private drains = 0;
  private ready = false;
  private closing = false;
  private restarts = 0;
  private broken: Error | undefined;
  /**
   * Runs posted and not yet settled, oldest first: the thread settles them in the order they were
   * posted, so each answer takes waiters from the front.
   */
  private waiting: (Waiter | undefined)[] = [];
  /** waiting[head] is the oldest run not yet settled; those before it are cleared. */
  private head = 0;
  private readonly draining = new Map<number, () => void>();
  /** Runs scored in this turn of the event loop, posted together at its end. */
  private outbox: PackedRun[] = [];

  /**
   * A server starts its thread at once, so that its first request does not wait for the thread to
   * load; a command that may never write (`credence tenant list`) passes `lazy` and starts it, if
   * at all, at its first write.
   */
  constructor(
    private readonly data: WriterData,
    options: { lazy?: boolean } = {},
  ) {
    if (!options.lazy) this.worker = this.start();
  }

  /** Whether the thread has been started (a lazy history starts it at its first write). */
  get started(): boolean {
    return this.worker !== undefined;
  }

  write(run: PendingRun): Promise<string> {
    if (this.closing) return Promise.reject(new WriterThreadError('the history is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      const seq = ++this.seq;
      this.waiting.push({ seq, resolve, reject });
      if (this.outbox.length === 0) setImmediate(this.flush);
      this.outbox.push(packRun(seq, run));
    });
  }

  forgetSubject(tenantId: string, partnerId: string): void {
    // A thread not started yet has no subject cached, and will read the database when it starts.
    if (this.worker || this.outbox.length > 0) this.post({ type: 'forget', tenantId, partnerId });
  }

  async drain(): Promise<void> {
    if (this.broken || this.head === this.waiting.length) return;
    const id = ++this.drains;
    await new Promise<void>((resolve) => {
      this.draining.set(id, resolve);
      this.post({ type: 'drain', id });
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    await this.drain();
    this.closing = true;
    if (this.broken || !this.worker) return;
    const worker = this.worker;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    this.post({ type: 'close' });
    await exited;
  }

  private readonly flush = (): void => {
    const items = this.outbox;
    this.outbox = [];
    if (items.length > 0) this.post({ type: 'write', items });
  };

  /** Answers the runs of a settled batch, which are the oldest ones waiting. */
  private settle(m: Extract<ThreadReply, { type: 'settled' }>): void {
    const from = this.head;
    if (this.waiting[from]?.seq !== m.first) {
      this.rejectWaiting(new WriterThreadError(`the writer thread answered run ${m.first} out of turn`));
      return;
    }
    this.head += m.ids.length;
    let e = 0;
    for (let i = 0; i < m.ids.length; i++) {
      const w = this.waiting[from + i]!;
      // Cleared at once, so that a settled request's objects do not outlive it here.
      this.waiting[from + i] = undefined;
      const error = m.errors[e];
      if (error?.[0] === i) {
        e++;
        w.reject(new WriterThreadError(error[1], error[2]));
      } else w.resolve(m.ids[i]!);
    }
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= 1024) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }

  private rejectWaiting(err: Error): void {
    const waiting = this.waiting.slice(this.head);
    this.waiting = [];
    this.head = 0;
    for (const w of waiting) w?.reject(err);
  }

  private post(m: ThreadRequest): void {
    // Writes scored earlier in this turn go first, so that a drain or close comes after them.
    if (m.type !== 'write' && this.outbox.length > 0) this.flush();
    this.worker ??= this.start();
    this.worker.postMessage(m);
  }

  private start(): Worker {
    const worker = spawnThread(import.meta.url, 'sqlite-writer-thread', this.data);
    this.ready = false;
    let lastError: Error | undefined;
    worker.on('message', (m: ThreadReply) => {
      if (m.type === 'ready') this.ready = true;
      else if (m.type === 'drained') {
        this.draining.get(m.id)?.();
        this.draining.delete(m.id);
      } else {
        Object.assign(this.stats, m.stats);
        this.settle(m);
      }
    });
    worker.on('error', (err) => {
      lastError = err;
    });
    worker.on('exit', (code) => {
      const err = new WriterThreadError(
        `the SQLite writer thread exited with code ${code}${lastError ? `: ${lastError.message}` : ''}`,
      );
      // Runs in flight were refused, not lost: their requests get an error, not an answer.
      this.rejectWaiting(err);
      for (const resolve of this.draining.values()) resolve();
      this.draining.clear();
      if (this.closing) return;
      // A writer that died under load is replaced; one that never started, or keeps dying, is not.
      if (!this.ready || ++this.restarts > MAX_RESTARTS) this.broken = err;
      else this.worker = this.start();
    });
    return worker;
  }
}

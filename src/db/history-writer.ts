/**
 * Group commit for the scoring history. Each scoring request hands its run to the writer and
 * waits; the writer commits everything that arrived meanwhile in one transaction, then answers
 * every waiter. A response is therefore still sent only after its run is durably committed,
 * but a busy server pays for one commit per batch instead of one per request.
 *
 * When the store commits off the event loop (a writer thread, an asynchronous driver), a commit
 * starts as soon as the writer is free and a second batch may be in flight, so requests keep
 * being parsed and scored while earlier ones commit. A store that blocks the event loop gets one
 * batch at a time, gathered over a whole turn of the loop.
 */
import { type Attempt, commitPolicy, settle } from './commit-policy.js';
import type { History } from './history.js';
import type { PendingRun, RunStore } from './run-store.js';
import { SubjectCache } from './subject-cache.js';

export type { PendingRun } from './run-store.js';

interface Waiter {
  run: PendingRun;
  resolve: (subjectId: string) => void;
  reject: (err: unknown) => void;
}

export interface HistoryWriterOptions {
  /** Most runs in one transaction. */
  maxBatch?: number;
  /** How many subject ids to remember. */
  subjectCacheSize?: number;
}

export class HistoryWriter implements History {
  private queue: Waiter[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxInFlight: number;
  private idle: (() => void)[] = [];
  private readonly maxBatch: number;
  private readonly subjects: SubjectCache;
  readonly stats = { commits: 0, runs: 0 };

  constructor(
    private readonly store: RunStore,
    options: HistoryWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = store.blocksEventLoop ? 1 : 2;
    this.subjects = new SubjectCache(options.subjectCacheSize);
  }

  /** Resolves with the subject id once the run is committed. */
  write(run: PendingRun): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ run, resolve, reject });
      this.schedule();
    });
  }

  /** Forgets cached subject ids, e.g. after a subject was erased. */
  forgetSubject(tenantId: string, partnerId: string): void {
    this.subjects.forget(tenantId, partnerId);
  }

  /** Waits for every run handed in, then stops the store (its writer thread, if any). */
  async close(): Promise<void> {
    await this.drain();
    await this.store.close();
  }

  /** Resolves when every run handed in so far has been committed or rejected. */
  async drain(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && !this.scheduled && this.queue.length === 0;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    const launch = () => {
      this.scheduled = false;
      this.launch();
    };
    // A blocking store waits for the turn of the loop to end, so everything parsed in it joins.
    if (this.store.blocksEventLoop) setImmediate(launch);
    else queueMicrotask(launch);
  }

  private launch(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.commit(batch).finally(() => {
        this.inFlight--;
        this.schedule();
        if (this.isIdle()) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private async commit(batch: Waiter[]): Promise<void> {
    const settled = await settle(
      commitPolicy(
        batch.map((w) => w.run),
        (run) => this.subjects.forgetRun(run),
      ),
      (a) => this.transact(a),
    );
    for (let i = 0; i < batch.length; i++) {
      const s = settled[i]!;
      if (s.ok) batch[i]!.resolve(s.subjectId);
      else batch[i]!.reject(s.error);
    }
  }

  /** Commits the runs in one transaction and returns each run's subject id. */
  private async transact(a: Attempt): Promise<string[]> {
    const ids = this.subjects.committed(await this.store.commit(a.runs, this.subjects.reader(a.useCache)));
    this.stats.commits++;
    this.stats.runs += a.runs.length;
    return ids;
  }
}

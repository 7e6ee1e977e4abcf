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
import { LRUCache } from 'lru-cache';
import type { History } from './history.js';
import { subjectKey } from './repositories/subject.repository.js';
import type { PendingRun, RunStore } from './run-store.js';

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
  private readonly subjectIds: LRUCache<string, string>;
  readonly stats = { commits: 0, runs: 0 };

  constructor(
    private readonly store: RunStore,
    options: HistoryWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = store.blocksEventLoop ? 1 : 2;
    this.subjectIds = new LRUCache({ max: options.subjectCacheSize ?? 100_000 });
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
    this.subjectIds.delete(subjectKey(tenantId, partnerId));
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
    try {
      const ids = await this.transact(batch, true);
      for (let i = 0; i < batch.length; i++) batch[i]!.resolve(ids[i]!);
    } catch (err) {
      if (batch.length === 1) {
        await this.retryAlone(batch[0]!, err);
        return;
      }
      // One bad run must not fail its neighbours: commit them one by one.
      for (const w of batch) {
        try {
          const [id] = await this.transact([w], true);
          w.resolve(id!);
        } catch (e) {
          await this.retryAlone(w, e);
        }
      }
    }
  }

  /** A cached subject id may point at a subject erased by another process: retry without the cache. */
  private async retryAlone(w: Waiter, firstError: unknown): Promise<void> {
    const key = subjectKey(w.run.tenant_id, w.run.partner_id);
    if (!this.subjectIds.has(key)) {
      w.reject(firstError);
      return;
    }
    this.subjectIds.delete(key);
    try {
      const [id] = await this.transact([w], false);
      w.resolve(id!);
    } catch (e) {
      w.reject(e);
    }
  }

  /** Commits the batch in one transaction and returns each run's subject id. */
  private async transact(batch: Waiter[], useCache: boolean): Promise<string[]> {
    const { subjectIds, resolved } = await this.store.commit(
      batch.map((w) => w.run),
      useCache ? (key) => this.subjectIds.get(key) : () => undefined,
    );
    // Remember subjects only once the transaction that found or created them has committed.
    for (const [k, v] of resolved) this.subjectIds.set(k, v);
    this.stats.commits++;
    this.stats.runs += batch.length;
    return subjectIds;
  }
}

/**
 * Group commit for the scoring history. Each scoring request hands its run to the writer and
 * waits; the writer commits everything that arrived meanwhile in one transaction, then answers
 * every waiter. A response is therefore still sent only after its run is durably committed,
 * but a busy server pays for one commit per batch instead of one per request.
 */
import { LRUCache } from 'lru-cache';
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

export class HistoryWriter {
  private queue: Waiter[] = [];
  private flushing = false;
  private scheduled = false;
  private idle: (() => void)[] = [];
  private readonly maxBatch: number;
  private readonly subjectIds: LRUCache<string, string>;
  /** Transactions committed and runs written, since start. */
  readonly stats = { commits: 0, runs: 0 };

  constructor(
    private readonly store: RunStore,
    options: HistoryWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.subjectIds = new LRUCache({ max: options.subjectCacheSize ?? 100_000 });
  }

  /** Resolves with the subject id once the run is committed. */
  write(run: PendingRun): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ run, resolve, reject });
      if (!this.scheduled && !this.flushing) {
        this.scheduled = true;
        // Let every request that is already parsed in this turn of the event loop join the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Forgets cached subject ids, e.g. after a subject was erased. */
  forgetSubject(tenantId: string, partnerId: string): void {
    this.subjectIds.delete(subjectKey(tenantId, partnerId));
  }

  /** Resolves when every run handed in so far has been committed or rejected. */
  async drain(): Promise<void> {
    if (!this.flushing && !this.scheduled && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.commit(batch);
      }
    } finally {
      this.flushing = false;
      for (const resolve of this.idle.splice(0)) resolve();
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

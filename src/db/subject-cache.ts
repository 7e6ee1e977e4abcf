/**
 * Subject ids remembered by the history writers, keyed by tenant and the tenant's own id for the
 * subject, so that scoring a known client again needs no lookup. An id is remembered only once
 * the transaction that found or created it has committed.
 */
import { LRUCache } from 'lru-cache';
import { subjectKey } from './repositories/subject.repository.js';
import type { CommittedBatch, PendingRun } from './run-store.js';

const NONE = (): undefined => undefined;

export class SubjectCache {
  private readonly ids: LRUCache<string, string>;
  private readonly lookup = (key: string): string | undefined => this.ids.get(key);

  constructor(max = 100_000) {
    this.ids = new LRUCache({ max });
  }

  /** What a store may consult for ids known from earlier batches (nothing, when told not to). */
  reader(useCache: boolean): (key: string) => string | undefined {
    return useCache ? this.lookup : NONE;
  }

  /** Remembers what a committed batch found or created; returns each run's subject id. */
  committed(batch: CommittedBatch): string[] {
    for (const [k, v] of batch.resolved) this.ids.set(k, v);
    return batch.subjectIds;
  }

  forget(tenantId: string, partnerId: string): void {
    this.ids.delete(subjectKey(tenantId, partnerId));
  }

  /** Forgets the subject of a run; says whether one was remembered. */
  forgetRun(run: PendingRun): boolean {
    return this.ids.delete(subjectKey(run.tenant_id, run.partner_id));
  }
}

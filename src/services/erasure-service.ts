/**
 * The right to erasure (GDPR art. 17): deleting a subject deletes everything kept about it, its
 * identifiers, score runs and outcomes, data records, score requests and dialect records (by
 * foreign-key cascade from the subject), its webhook deliveries, and cancels its queued jobs.
 * The audit log records that an erasure happened, with no personal data: the subject's random
 * internal id and counts, never the tenant's id for the person.
 */
import type { Kysely } from 'kysely';
import type { History } from '../db/history.js';
import { deleteOutcomesOfSubject } from '../db/repositories/outcome.repository.js';
import { deleteSubjectData } from '../db/repositories/subject-data.repository.js';
import { deleteSubjectDeliveries } from '../db/repositories/webhook.repository.js';
import type { Database } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Clock } from '../lib/clock.js';
import { audit } from './audit.js';

export interface ErasureResult {
  subjectId: string;
  scoreRuns: number;
  identifiers: number;
  outcomes: number;
  dataRecords: number;
  webhookDeliveries: number;
  jobsCancelled: number;
}

export class ErasureService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly history: History,
    private readonly queue: JobQueue,
  ) {}

  /** Erases the tenant's subject; `actor` and `via` go to the audit log. */
  async erase(
    tenantId: string,
    subject: { id: string; partnerId: string },
    o: { actor: string; via: string },
  ): Promise<ErasureResult> {
    const jobsCancelled = await this.queue.cancelForSubject(tenantId, subject.id);
    // Runs handed to the history writer before now are committed first, so none outlives the erasure.
    await this.history.drain();
    const result = await this.db.transaction().execute(async (trx) => {
      const count = async (table: 'score_runs' | 'subject_identifiers') =>
        Number(
          (
            await trx
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .where('tenant_id', '=', tenantId)
              .where('subject_id', '=', subject.id)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const scoreRuns = await count('score_runs');
      const identifiers = await count('subject_identifiers');
      const outcomes = Number(
        (
          await trx
            .selectFrom('outcomes')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('tenant_id', '=', tenantId)
            .where('subject_id', '=', subject.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
      await deleteOutcomesOfSubject(trx, tenantId, subject.id);
      const dataRecords = await deleteSubjectData(trx, tenantId, subject.id);
      const webhookDeliveries = await deleteSubjectDeliveries(trx, tenantId, subject.id);
      // The rest goes with the subject, by cascade: identifiers, score runs, score requests, dialect records.
      await trx
        .deleteFrom('subjects')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', subject.id)
        .execute();
      const r = {
        subjectId: subject.id,
        scoreRuns,
        identifiers,
        outcomes,
        dataRecords,
        webhookDeliveries,
        jobsCancelled,
      };
      await audit(trx, this.clock, {
        tenantId,
        actor: o.actor,
        action: 'subject.erase',
        targetType: 'subject',
        targetId: subject.id,
        details: { via: o.via, ...r, subjectId: undefined },
      });
      return r;
    });
    this.history.forgetSubject(tenantId, subject.partnerId);
    return result;
  }
}

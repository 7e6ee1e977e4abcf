/**
 * The right to erasure (GDPR art. 17): deleting a subject deletes everything kept about it, its
 * identifiers, score runs and outcomes, data records, score requests, dialect records, CV
 * documents and fraud-signal sightings (by foreign-key cascade from the subject), its webhook
 * deliveries, the loan applications the tenant shared with the consortium about the person,
 * the kept answers to idempotent requests about it, and its jobs: queued ones are cancelled, and
 * every finished one (whose payload names the subject) is deleted.
 * Credit-indicator calls stay in the partner's ledger (they were charged) but lose the subject
 * and the kept answer.
 * The audit log records that an erasure happened, with no personal data: the subject's random
 * internal id and counts, never the tenant's id for the person.
 */
import type { Kysely } from 'kysely';
import type { History } from '../db/history.js';
import { deletePersonApplications } from '../db/repositories/consortium.repository.js';
import { deleteIdempotencyKeysAbout } from '../db/repositories/idempotency.repository.js';
import { deleteOutcomesOfSubject } from '../db/repositories/outcome.repository.js';
import { detachCalls } from '../db/repositories/partner-call.repository.js';
import { listIdentifiers } from '../db/repositories/subject.repository.js';
import { deleteSubjectData } from '../db/repositories/subject-data.repository.js';
import { deleteSubjectDeliveries } from '../db/repositories/webhook.repository.js';
import { lockSubject } from '../db/row-lock.js';
import type { Database } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import { INDICATOR_COUNTRIES } from '../domain/indicators/packages.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Clock } from '../lib/clock.js';
import type { ConsortiumHasher } from '../security/consortium-hasher.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import { audit } from './audit.js';

export interface ErasureResult {
  subjectId: string;
  scoreRuns: number;
  identifiers: number;
  outcomes: number;
  dataRecords: number;
  webhookDeliveries: number;
  consortiumApplications: number;
  indicatorCallsDetached: number;
  jobsCancelled: number;
}

export class ErasureService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly history: History,
    private readonly queue: JobQueue,
    private readonly cipher: PiiCipher,
    private readonly hasher: ConsortiumHasher,
  ) {}

  /**
   * Erases the tenant's subject; `actor` and `via` go to the audit log. A subject already erased (by
   * a request that ran at the same moment) is not found (CREDENCE_NOT_FOUND), and nothing is audited.
   */
  async erase(
    tenantId: string,
    subject: { id: string; partnerId: string },
    o: { actor: string; via: string },
  ): Promise<ErasureResult> {
    const jobsCancelled = await this.queue.cancelForSubject(tenantId, subject.id);
    // Runs handed to the history writer before now are committed first, so none outlives the erasure.
    await this.history.drain();
    const result = await this.db.transaction().execute(async (trx) => {
      // Held until the end: a second erasure waits and finds nothing, and no run is added unseen.
      if (!(await lockSubject(trx, tenantId, subject.id))) throw notFound('subject', subject.id);
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
      const subjectCalls = await detachCalls(trx, tenantId, { subjectId: subject.id });
      const person = this.personHashes(
        subjectCalls.map((c) => c.sequence_id),
        await listIdentifiers(trx, tenantId, subject.id),
      );
      const applications = await deletePersonApplications(trx, tenantId, person);
      // Calls about the person made before they were a subject recorded some of those applications.
      const detached = new Set(subjectCalls.map((c) => c.sequence_id));
      const earlierCalls = await detachCalls(trx, tenantId, {
        sequenceIds: applications.flatMap((a) =>
          a.sequence_id !== null && !detached.has(a.sequence_id) ? [a.sequence_id] : [],
        ),
      });
      // And calls made then that keep their answer without having recorded an application.
      const unrecordedCalls = await detachCalls(trx, tenantId, {
        idHashes: person.idHashes,
        phoneHashes: person.phoneHashes,
      });
      const consortiumApplications = applications.map((a) => a.id);
      await deleteOutcomesOfSubject(trx, tenantId, subject.id);
      const dataRecords = await deleteSubjectData(trx, tenantId, subject.id);
      const webhookDeliveries = await deleteSubjectDeliveries(trx, tenantId, subject.id);
      // Kept answers to requests with an Idempotency-Key that repeat what was said about the person,
      // or about their applications to the consortium.
      await deleteIdempotencyKeysAbout(trx, tenantId, [subject.id, ...consortiumApplications]);
      // Finished jobs name the subject (and the tenant) until the queue's retention passes.
      await this.queue.forgetSubject(tenantId, subject.id, { transaction: trx });
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
        consortiumApplications: consortiumApplications.length,
        indicatorCallsDetached: subjectCalls.length + earlierCalls.length + unrecordedCalls.length,
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

  /**
   * What finds the person's consortium applications: the calls that recorded them, and the keyed
   * hashes of their phone numbers and of their national ids (under every key, and for every
   * country an id can be issued in: the identifier does not keep its country).
   */
  private personHashes(
    sequenceIds: string[],
    identifiers: { kind: string; ciphertext: string }[],
  ): { sequenceIds: string[]; idHashes: string[]; phoneHashes: string[] } {
    const idHashes: string[] = [];
    const phoneHashes: string[] = [];
    for (const i of identifiers) {
      const value = this.cipher.decrypt(i.ciphertext);
      if (i.kind === 'phone') phoneHashes.push(...this.hasher.phoneHashes(value));
      if (i.kind === 'national_id') {
        for (const country of INDICATOR_COUNTRIES) idHashes.push(...this.hasher.idHashes(country, value));
      }
    }
    return { sequenceIds, idHashes, phoneHashes };
  }
}

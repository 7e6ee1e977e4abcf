/**
 * Erasing a telco subscriber (GDPR art. 17): the subscriber's phone number, id document and
 * monthly features, their consents and backchannel authentication requests, the kept answers to
 * consent requests with an Idempotency-Key, and, through the
 * subject erasure (src/services/erasure-service.ts), every score run kept about them. A 3-legged
 * token issued for the subscriber stops working at once: its subscriber is gone.
 *
 * The score history is erased first, in its own transaction, then the subscriber: a failure in
 * between leaves the subscriber findable by phone, and erasing again finishes the work.
 */
import type { Kysely } from 'kysely';
import { deleteIdempotencyKeysAbout } from '../../db/repositories/idempotency.repository.js';
import { findSubjectByPartnerId } from '../../db/repositories/subject.repository.js';
import { countSubscriberRecords, deleteSubscriber } from '../../db/repositories/telco.repository.js';
import type { Database } from '../../db/schema.js';
import { isCredenceError, notFound } from '../../domain/errors.js';
import { subscriberPhone } from '../../domain/telco/subscriber.js';
import type { Clock } from '../../lib/clock.js';
import { audit } from '../audit.js';
import type { ErasureService } from '../erasure-service.js';
import type { SubscriberService } from './subscribers.js';

export interface SubscriberErasureResult {
  subscriberId: string;
  consents: number;
  cibaRequests: number;
  scoreRuns: number;
}

export class SubscriberErasure {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly subscribers: SubscriberService,
    private readonly erasure: ErasureService,
  ) {}

  /** Erases the tenant's subscriber with this phone number (`+...`); `actor` and `via` go to the audit log. */
  async erase(
    tenantId: string,
    phone: string,
    o: { actor: string; via: string },
  ): Promise<SubscriberErasureResult> {
    const subscriber = await this.subscribers.named(tenantId, phone);
    const subject = await findSubjectByPartnerId(this.db, tenantId, subscriber.id);
    const history = subject
      ? await this.erasure
          .erase(tenantId, { id: subject.id, partnerId: subject.partner_id }, o)
          // Erased by a request that ran at the same moment, which erases the subscriber too and
          // answers for it: for this one, the subscriber is not found.
          .catch((err: unknown) => {
            throw isCredenceError(err) && err.code === 'CREDENCE_NOT_FOUND'
              ? notFound('subscriber with phone number', subscriberPhone(phone))
              : err;
          })
      : undefined;
    const counts = await this.db.transaction().execute(async (trx) => {
      // Consents and authentication requests go with the subscriber, by cascade; the kept answers
      // to consent requests with an Idempotency-Key name the subscriber, and go too. A second
      // erasure at the same moment waits for the first's delete, then deletes nothing: not found.
      const c = await countSubscriberRecords(trx, subscriber.id);
      if (!(await deleteSubscriber(trx, tenantId, subscriber.id)))
        throw notFound('subscriber with phone number', subscriberPhone(phone));
      await deleteIdempotencyKeysAbout(trx, tenantId, [subscriber.id]);
      await audit(trx, this.clock, {
        tenantId,
        actor: o.actor,
        action: 'telco_subscriber.erase',
        targetType: 'telco_subscriber',
        targetId: subscriber.id,
        details: { via: o.via, ...c, scoreRuns: history?.scoreRuns ?? 0 },
      });
      return c;
    });
    return { subscriberId: subscriber.id, ...counts, scoreRuns: history?.scoreRuns ?? 0 };
  }
}

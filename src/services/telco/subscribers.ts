/**
 * The operator's subscribers: loaded in batches (CSV or API), all or nothing, a phone number loaded
 * again replacing its earlier data. Phone numbers and id documents are encrypted, each with a blind
 * index to find it by; the features are encrypted as well.
 */
import type { Kysely } from 'kysely';
import {
  findSubscriberById,
  findSubscriberByPhone,
  idDocumentExists,
  upsertSubscribers,
} from '../../db/repositories/telco.repository.js';
import { serializeOn } from '../../db/row-lock.js';
import type { Database, TelcoSubscriberRow, TelcoSubscriberTable } from '../../db/schema.js';
import { CredenceError, invalidInput, isCredenceError, notFound } from '../../domain/errors.js';
import {
  checkSubscriber,
  internationalPhone,
  normaliseIdDocument,
  type Subscriber,
  type SubscriberInput,
  type SubscriptionType,
  subscriberPhone,
} from '../../domain/telco/subscriber.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { PiiCipher } from '../../security/pii-cipher.js';
import { audit } from '../audit.js';

export const PHONE_INDEX = 'telco_phone';
export const ID_DOCUMENT_INDEX = 'telco_id_document';
const CHUNK = 500;

/** A subscriber as the scoring engine reads it: no phone number or id document in clear. */
export interface StoredSubscriber {
  id: string;
  tenantId: string;
  subscriptionType: SubscriptionType;
  activationDate: string;
  idDocumentIndex: string | null;
  features(): Record<string, number>;
}

export interface LoadResult {
  received: number;
  created: number;
  updated: number;
}

/** Everything kept of a subscriber, decrypted: what the operator reads back. */
export interface SubscriberRecord {
  id: string;
  phone: string;
  idDocument: string | null;
  subscriptionType: SubscriptionType;
  activationDate: string;
  features: Record<string, number>;
  createdAt: string;
  updatedAt: string;
}

export class SubscriberService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: PiiCipher,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks every subscriber, then stores them in one transaction. `where(i)` names a record in
   * errors (`subscribers[3]`, `line 5`).
   */
  async load(
    tenantId: string,
    inputs: readonly SubscriberInput[],
    o: { actor: string; where: (i: number) => string },
  ): Promise<LoadResult> {
    const today = this.clock.now();
    // Each number once, with the index of its record: two records of one number (in two
    // spellings, say) would leave one of them unstored without a word, and which one the operator
    // meant is theirs to say.
    const byPhone = new Map<string, { s: Subscriber; at: number }>();
    inputs.forEach((input, i) => {
      try {
        const s = checkSubscriber(input, today);
        const first = byPhone.get(s.phone);
        if (first !== undefined)
          throw invalidInput('phone_number', `phone_number is the same number as ${o.where(first.at)}'s`);
        byPhone.set(s.phone, { s, at: i });
      } catch (err) {
        if (!isCredenceError(err)) throw err;
        const field = err.details.field;
        throw new CredenceError('CREDENCE_INVALID_INPUT', `${o.where(i)}: ${err.message}`, {
          field: `${o.where(i)}${field ? `.${field}` : ''}`,
        });
      }
    });
    const at = today.toISOString();
    const rows: TelcoSubscriberTable[] = [...byPhone.values()].map(({ s }) => ({
      id: newId('tsb'),
      tenant_id: tenantId,
      phone_index: this.cipher.blindIndex(PHONE_INDEX, s.phone),
      phone: this.cipher.encrypt(s.phone),
      id_document_index: s.idDocument ? this.cipher.blindIndex(ID_DOCUMENT_INDEX, s.idDocument) : null,
      id_document: s.idDocument ? this.cipher.encrypt(s.idDocument) : null,
      subscription_type: s.subscriptionType,
      activation_date: s.activationDate,
      features: this.cipher.encrypt(JSON.stringify(s.features)),
      created_at: at,
      updated_at: at,
    }));
    // During a rotation of the secret key, what each number was indexed by under the older keys.
    const earlier = [...byPhone.values()].map(({ s }) =>
      this.cipher.blindIndexes(PHONE_INDEX, s.phone).slice(1),
    );
    const created = await this.db.transaction().execute(async (trx) => {
      // Loads of the tenant's subscribers take turns, so that each counts what it found already
      // stored: two loading the same number at once would both count it as new.
      await serializeOn(trx, `subscribers/${tenantId}`);
      let n = 0;
      for (let i = 0; i < rows.length; i += CHUNK)
        n += await upsertSubscribers(trx, rows.slice(i, i + CHUNK), earlier.slice(i, i + CHUNK));
      await audit(trx, this.clock, {
        tenantId,
        actor: o.actor,
        action: 'telco_subscribers.load',
        targetType: 'tenant',
        targetId: tenantId,
        details: { received: inputs.length, stored: rows.length },
      });
      return n;
    });
    return { received: inputs.length, created, updated: rows.length - created };
  }

  /** The subscriber with this phone number, given exactly in E.164. */
  async byPhone(tenantId: string, e164: string): Promise<StoredSubscriber | undefined> {
    const row = await this.rowByPhone(tenantId, e164);
    return row && this.stored(row);
  }

  /**
   * The subscriber a token's phone-number claim names. An identity provider writes the number as
   * OpenID Connect's `phone_number` allows (`+254 712 345 678`, `+1 (425) 555-1212`), so it is
   * brought to E.164 as loaded numbers are; one that is not a valid international number names
   * nobody.
   */
  async byPhoneClaim(tenantId: string, claim: string): Promise<StoredSubscriber | undefined> {
    const e164 = internationalPhone(claim);
    return e164 === undefined ? undefined : this.byPhone(tenantId, e164);
  }

  /** The subscriber a request names by phone number (international form, `+...`); 404 if none. */
  async named(tenantId: string, phone: string): Promise<StoredSubscriber> {
    return this.stored(await this.namedRow(tenantId, phone));
  }

  /** The subscriber named by a phone number in E.164 form, as stored, decrypted; 404 if none. */
  async record(tenantId: string, phone: string): Promise<SubscriberRecord> {
    const row = await this.namedRow(tenantId, phone);
    return {
      id: row.id,
      phone: this.cipher.decrypt(row.phone),
      idDocument: row.id_document === null ? null : this.cipher.decrypt(row.id_document),
      subscriptionType: row.subscription_type as SubscriptionType,
      activationDate: row.activation_date,
      features: this.stored(row).features(),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async byId(tenantId: string, id: string): Promise<StoredSubscriber | undefined> {
    const row = await findSubscriberById(this.db, tenantId, id);
    return row && this.stored(row);
  }

  /**
   * Whether an id document given in a request is the subscriber's own.
   */
  holdsIdDocument(s: StoredSubscriber, idDocument: string): boolean {
    const doc = normaliseIdDocument(idDocument);
    if (!doc || s.idDocumentIndex === null) return false;
    return this.cipher.blindIndexes(ID_DOCUMENT_INDEX, doc).includes(s.idDocumentIndex);
  }

  /** Whether any subscriber of the tenant holds the id document; an empty or blank one, nobody. */
  async anyoneHoldsIdDocument(tenantId: string, idDocument: string): Promise<boolean> {
    const doc = normaliseIdDocument(idDocument);
    if (!doc) return false;
    return idDocumentExists(this.db, tenantId, this.cipher.blindIndexes(ID_DOCUMENT_INDEX, doc));
  }

  private rowByPhone(tenantId: string, e164: string): Promise<TelcoSubscriberRow | undefined> {
    return findSubscriberByPhone(this.db, tenantId, this.cipher.blindIndexes(PHONE_INDEX, e164));
  }

  private async namedRow(tenantId: string, phone: string): Promise<TelcoSubscriberRow> {
    const e164 = subscriberPhone(phone);
    const row = await this.rowByPhone(tenantId, e164);
    if (!row) throw notFound('subscriber with phone number', e164);
    return row;
  }

  private stored(row: TelcoSubscriberRow): StoredSubscriber {
    const cipher = this.cipher;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      subscriptionType: row.subscription_type as SubscriptionType,
      activationDate: row.activation_date,
      idDocumentIndex: row.id_document_index,
      features: () => JSON.parse(cipher.decrypt(row.features)) as Record<string, number>,
    };
  }
}

/**
 * A metered call of the credit-indicator API: checks the partner's service in the country and
 * its package, computes the indicators, then, all or nothing (src/db/committer.ts), records the
 * call, takes its price from the balance (with the ledger entry), records the application in the
 * consortium and attaches the request's identifiers to the subject. A call that fails is recorded without a
 * charge. A call retried with the idempotency key of a charged call gets that call's answer
 * (same sequence id) and is not charged again.
 */
import type { Kysely } from 'kysely';
import type { Committer } from '../db/committer.js';
import { insertApplication } from '../db/repositories/consortium.repository.js';
import { debitPartner, findPackage, insertLedgerEntry } from '../db/repositories/partner.repository.js';
import { findCall, findChargedCall, insertCall } from '../db/repositories/partner-call.repository.js';
import { attachIdentifiers } from '../db/repositories/subject.repository.js';
import type { Database, PartnerCallRow } from '../db/schema.js';
import { CredenceError } from '../domain/errors.js';
import type { Indicator } from '../domain/indicators/values.js';
import { INDICATOR_STATUS } from '../domain/indicators/values.js';
import { assertPackageUsable, insufficientBalance } from '../domain/metered-package.js';
import { canonicalJson, sha256Hex } from '../lib/canonical-json.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import type { ConsortiumService } from './consortium-service.js';
import type { IndicatorQuery, IndicatorService } from './indicator-service.js';
import type { PartnerPrincipal } from './principal.js';

export const SUCCESS = { code: 200, message: 'Success' } as const;
const NO_PERSON = { id_hash: null, phone_hash: null } as const;

export interface MeteredRequest extends IndicatorQuery {
  /** The person's name: required by the API, part of what makes two requests the same, not stored. */
  name: string;
  /** Normalised app name, when the request carried one: the application is then shared. */
  app: string | null;
}

export interface CallMeta {
  sequenceId: string;
  requestId: string | null;
  idempotencyKey?: string | undefined;
}

export interface CallAnswer {
  sequenceId: string;
  indicators: Indicator[];
  replayed: boolean;
}

export interface FailedCall {
  sequenceId: string;
  partnerId: string | null;
  package: string | null;
  country: string | null;
  code: number;
  message: string;
  requestId: string | null;
}

type Outcome = { kind: 'charged' } | { kind: 'duplicate' };

export class PartnerCallService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly committer: Committer,
    private readonly cipher: PiiCipher,
    private readonly indicators: IndicatorService,
    private readonly consortium: ConsortiumService,
    private readonly clock: Clock,
  ) {}

  async call(p: PartnerPrincipal, r: MeteredRequest, meta: CallMeta): Promise<CallAnswer> {
    const requestHash = meta.idempotencyKey ? sha256Hex(canonicalJson(r)) : '';
    if (meta.idempotencyKey) {
      const prior = await findChargedCall(this.db, p.partnerId, meta.idempotencyKey);
      if (prior) return this.replay(prior, requestHash);
    }
    if (!p.countries.includes(r.country)) {
      throw new CredenceError('CREDENCE_COUNTRY_NOT_SERVED', `the partner has no service in ${r.country}`, {
        field: 'country',
      });
    }
    const now = this.clock.now();
    const found = await findPackage(this.db, p.partnerId, r.package);
    const pkg = assertPackageUsable(
      found && {
        status: found.status,
        startsAt: found.starts_at,
        expiresAt: found.expires_at,
        price: found.price,
        balance: found.balance,
      },
      r.package,
      now,
    );

    const answer = await this.indicators.evaluate(p, r);
    if (answer.indicators.every((i) => i.status === INDICATOR_STATUS.systemError)) {
      throw new CredenceError('CREDENCE_INTERNAL', 'no indicator of the package could be computed');
    }
    const shareApplication = r.app !== null && (await this.consortium.isMember(p.tenantId));
    const at = now.toISOString();
    const subject = answer.subject;

    const outcome = await this.committer.run(async (trx): Promise<Outcome> => {
      // The call first: it takes the write lock, and a retry racing this one stops here.
      const inserted = await insertCall(trx, {
        sequence_id: meta.sequenceId,
        partner_id: p.partnerId,
        package: r.package,
        country: r.country,
        code: SUCCESS.code,
        message: SUCCESS.message,
        charged: pkg.price,
        idempotency_key: meta.idempotencyKey ?? null,
        // Only a call with an idempotency key can be replayed: only it keeps its answer.
        // Sealed: a plain hash of the name, id and phone could be tested against a guess.
        request_hash: meta.idempotencyKey ? this.cipher.encrypt(requestHash) : null,
        subject_id: subject?.subjectId ?? null,
        request_id: meta.requestId,
        response: meta.idempotencyKey ? this.cipher.encrypt(JSON.stringify(answer.indicators)) : null,
        created_at: at,
        // A kept answer about someone who is no subject yet: the erasure of the subject made of
        // them later finds it by these.
        ...(meta.idempotencyKey && !subject ? this.consortium.personHashes(r) : NO_PERSON),
      });
      if (!inserted) return { kind: 'duplicate' };
      if (shareApplication) {
        await insertApplication(
          trx,
          this.consortium.applicationRow(p.tenantId, r, r.app!, meta.sequenceId, at),
        );
      }
      if (subject && subject.unattached.length > 0) {
        await attachIdentifiers(
          trx,
          p.tenantId,
          subject.subjectId,
          subject.unattached.map((i) => ({
            kind: i.kind,
            blind_index: this.cipher.blindIndex(i.kind, i.value),
            ciphertext: this.cipher.encrypt(i.value),
          })),
          () => newId('sid'),
          at,
        );
      }
      // The debit last: on PostgreSQL it locks the partner's row until the commit, and every
      // call of the partner waits for that lock.
      if (pkg.price > 0) {
        const balance = await debitPartner(trx, p.partnerId, pkg.price);
        if (balance === undefined) throw insufficientBalance();
        await insertLedgerEntry(trx, {
          id: newId('led'),
          partner_id: p.partnerId,
          kind: 'charge',
          amount: -pkg.price,
          balance_after: balance,
          sequence_id: meta.sequenceId,
          actor: p.partnerCode,
          created_at: at,
        });
      }
      return { kind: 'charged' };
    });

    if (outcome.kind === 'duplicate') {
      const prior = await findChargedCall(this.db, p.partnerId, meta.idempotencyKey!);
      if (!prior) throw new CredenceError('CREDENCE_INTERNAL', 'a concurrent retry vanished');
      return this.replay(prior, requestHash);
    }
    return { sequenceId: meta.sequenceId, indicators: answer.indicators, replayed: false };
  }

  /** Records a call that failed: never charged. */
  async recordFailure(f: FailedCall): Promise<void> {
    await insertCall(this.db, {
      sequence_id: f.sequenceId,
      partner_id: f.partnerId,
      package: f.package,
      country: f.country,
      code: f.code,
      message: f.message,
      charged: 0,
      idempotency_key: null,
      request_hash: null,
      subject_id: null,
      request_id: f.requestId,
      response: null,
      ...NO_PERSON,
      created_at: this.clock.now().toISOString(),
    });
  }

  /** The recorded call with this sequence id. */
  async find(sequenceId: string): Promise<PartnerCallRow | undefined> {
    return findCall(this.db, sequenceId);
  }

  private replay(prior: PartnerCallRow, requestHash: string): CallAnswer {
    // A hash kept before hashes were sealed is the hash itself.
    const kept = prior.request_hash === null ? null : this.cipher.decryptOrPlain(prior.request_hash);
    if (kept !== requestHash) {
      throw new CredenceError(
        'CREDENCE_IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was already used with a different request',
        { field: 'Idempotency-Key' },
      );
    }
    return {
      sequenceId: prior.sequence_id,
      indicators: JSON.parse(this.cipher.decrypt(prior.response!)) as Indicator[],
      replayed: true,
    };
  }
}

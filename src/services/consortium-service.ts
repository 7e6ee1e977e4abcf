/**
 * The consortium: tenants that opt in share the loan applications they see, held against keyed
 * hashes of the national id and the phone number (src/security/consortium-hasher.ts), so that
 * each can count a person's applications, approvals and overdue loans on the others' platforms.
 * Only counts ever leave (src/domain/indicators/multiplatform.ts), and only to a member, counting
 * only the records of tenants that are members now.
 */
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { isUniqueViolation } from '../db/constraint-violation.js';
import {
  addMember,
  deleteApplicationsOf,
  findApplicationOf,
  findMatchingApplications,
  findMember,
  insertApplication,
  listMembers,
  removeMember,
  updateApplication,
} from '../db/repositories/consortium.repository.js';
import type { ConsortiumApplicationRow, Database } from '../db/schema.js';
import {
  type ApplicationReport,
  checkApplication,
  checkDecidedAt,
  MAX_CLOCK_SKEW_MS,
} from '../domain/consortium.js';
import { CredenceError, notFound } from '../domain/errors.js';
import type { ConsortiumRecord } from '../domain/indicators/multiplatform.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { ConsortiumHasher } from '../security/consortium-hasher.js';
import { audit } from './audit.js';
import type { Principal } from './principal.js';
import type { TenantService } from './tenant-service.js';

/** At most this many records are read for one person: far more than any real person has. */
const MAX_RECORDS = 10_000;

export interface PersonKeys {
  country: string;
  /** Compacted national id. */
  nationalId: string | null;
  /** E.164, as libphonenumber-js formats it (the form subjects' phone numbers are kept in). */
  phone: string | null;
}

export interface StoredApplication {
  id: string;
  externalId: string | null;
  /** The credit-indicator call that recorded it, if one did. */
  sequenceId: string | null;
  app: string;
  status: string;
  appliedAt: string;
  decidedAt: string | null;
  loan: { status: string; daysPastDue: number | null; observedAt: string | null } | null;
  created: boolean;
}

export class ConsortiumService {
  private readonly membership: LRUCache<string, { member: boolean }>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly hasher: ConsortiumHasher,
    private readonly tenants: TenantService,
    options: { ttlMs?: number } = {},
  ) {
    this.membership = new LRUCache({ max: 10_000, ttl: options.ttlMs ?? 1000 });
  }

  async join(
    tenantRef: string,
    actor = 'cli',
  ): Promise<{ tenantId: string; joinedAt: string; joined: boolean }> {
    const tenant = await this.tenants.get(tenantRef);
    const now = this.clock.now().toISOString();
    const joined = await addMember(this.db, tenant.id, now);
    if (joined) {
      await audit(this.db, this.clock, {
        tenantId: tenant.id,
        actor,
        action: 'consortium.join',
        targetType: 'tenant',
        targetId: tenant.id,
      });
    }
    this.membership.delete(tenant.id);
    const member = await findMember(this.db, tenant.id);
    return { tenantId: tenant.id, joinedAt: member!.joined_at, joined };
  }

  /** Leaves: the tenant's records stop counting at once; with `purge` they are deleted. */
  async leave(
    tenantRef: string,
    o: { purge?: boolean; actor?: string } = {},
  ): Promise<{ left: boolean; purged: number }> {
    const tenant = await this.tenants.get(tenantRef);
    const { left, purged } = await this.db.transaction().execute(async (trx) => ({
      left: await removeMember(trx, tenant.id),
      purged: o.purge ? await deleteApplicationsOf(trx, tenant.id) : 0,
    }));
    await audit(this.db, this.clock, {
      tenantId: tenant.id,
      actor: o.actor ?? 'cli',
      action: 'consortium.leave',
      targetType: 'tenant',
      targetId: tenant.id,
      details: { purged },
    });
    this.membership.delete(tenant.id);
    return { left, purged };
  }

  /** The member tenants (for operators: never shown to tenants). */
  async members(): Promise<{ tenantId: string; name: string; joinedAt: string }[]> {
    return (await listMembers(this.db)).map((m) => ({
      tenantId: m.tenant_id,
      name: m.name,
      joinedAt: m.joined_at,
    }));
  }

  /** Whether the tenant is in the consortium (cached for a second). */
  async isMember(tenantId: string): Promise<boolean> {
    const hit = this.membership.get(tenantId);
    if (hit) return hit.member;
    const member = (await findMember(this.db, tenantId)) !== undefined;
    this.membership.set(tenantId, { member });
    return member;
  }

  /** The members' records of a person, matched by the national id or the phone number. */
  async recordsOf(person: PersonKeys): Promise<ConsortiumRecord[]> {
    const idHashes = person.nationalId ? this.hasher.idHashes(person.country, person.nationalId) : [];
    const phoneHashes = person.phone ? this.hasher.phoneHashes(person.phone) : [];
    const rows = await findMatchingApplications(this.db, idHashes, phoneHashes, MAX_RECORDS);
    return rows.map((r) => ({
      platform: r.platform_id,
      app: r.app,
      idHash: r.id_hash,
      phoneHash: r.phone_hash,
      byId: r.id_hash !== null && idHashes.includes(r.id_hash),
      byPhone: r.phone_hash !== null && phoneHashes.includes(r.phone_hash),
      appliedAt: r.applied_at,
      status: r.status,
      decidedAt: r.decided_at,
      loanStatus: r.loan_status,
      loanDaysPastDue: r.loan_days_past_due === null ? null : Number(r.loan_days_past_due),
      loanObservedAt: r.loan_observed_at,
    }));
  }

  /** The row an indicator call records for the application it was made for. */
  /** The person's consortium hashes under the current key, as an application row holds them. */
  personHashes(person: PersonKeys): { id_hash: string | null; phone_hash: string | null } {
    return {
      id_hash: person.nationalId ? this.hasher.idHash(person.country, person.nationalId) : null,
      phone_hash: person.phone ? this.hasher.phoneHash(person.phone) : null,
    };
  }

  applicationRow(
    tenantId: string,
    person: PersonKeys,
    app: string,
    sequenceId: string,
    at: string,
  ): ConsortiumApplicationRow {
    return {
      id: newId('cap'),
      platform_id: tenantId,
      app,
      external_id: null,
      sequence_id: sequenceId,
      ...this.personHashes(person),
      status: 'submitted',
      applied_at: at,
      decided_at: null,
      loan_status: null,
      loan_days_past_due: null,
      loan_observed_at: null,
      source: 'td',
      created_at: at,
      updated_at: at,
    };
  }

  /**
   * Records an application a member reports (`POST /api/v1/applications`). A report that names
   * the sequence id of the credit-indicator call that recorded the application, or an external id
   * the tenant used before, replaces that application's state (a sequence id that recorded none is
   * a 404); `applied_at` and `decided_at`, the national id and the phone number keep their earlier
   * values when the report leaves them out. An external id another application holds is a 409.
   */
  async record(who: Principal, report: ApplicationReport): Promise<StoredApplication> {
    if (!(await this.isMember(who.tenantId))) {
      throw new CredenceError(
        'CREDENCE_CONSORTIUM_NOT_JOINED',
        'this tenant has not joined the consortium (credence consortium join --tenant ...)',
      );
    }
    const at = this.clock.now();
    const a = checkApplication(report, at);
    const now = at.toISOString();
    const person = { country: a.country, nationalId: a.nationalId, phone: a.phone };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const prior = a.sequenceId
            ? await findApplicationOf(trx, who.tenantId, { sequenceId: a.sequenceId })
            : a.externalId
              ? await findApplicationOf(trx, who.tenantId, { externalId: a.externalId })
              : undefined;
          if (a.sequenceId && !prior) throw notFound('application recorded by the call', a.sequenceId);
          if (prior && a.externalId && a.externalId !== prior.external_id) {
            const other = await findApplicationOf(trx, who.tenantId, { externalId: a.externalId });
            if (other) {
              throw new CredenceError(
                'CREDENCE_CONFLICT',
                `external_id ${a.externalId} already names another application of this tenant`,
                { field: 'external_id' },
              );
            }
          }
          if (prior && a.decidedAt && !a.appliedAt) {
            // A TD call's application was stamped by this server's clock, not the reporter's.
            checkDecidedAt(a.decidedAt, prior.applied_at, prior.source === 'td' ? MAX_CLOCK_SKEW_MS : 0);
          }
          const decided =
            a.status === 'submitted'
              ? null
              : (a.decidedAt ?? (prior?.status === a.status ? prior.decided_at : null) ?? now);
          const state = {
            external_id: a.externalId ?? prior?.external_id ?? null,
            app: a.app,
            // An identifier the report leaves out stays as recorded: it still finds the person.
            id_hash: person.nationalId
              ? this.hasher.idHash(a.country, person.nationalId)
              : (prior?.id_hash ?? null),
            phone_hash: person.phone ? this.hasher.phoneHash(person.phone) : (prior?.phone_hash ?? null),
            status: a.status,
            applied_at: a.appliedAt ?? prior?.applied_at ?? now,
            decided_at: decided,
            loan_status: a.loan?.status ?? null,
            // Days past due the report leaves out are unknown, not 0 (a default says nothing of them).
            loan_days_past_due: a.loan?.daysPastDue ?? null,
            loan_observed_at: a.loan ? (a.loan.observedAt ?? now) : null,
            updated_at: now,
          };
          if (prior) {
            await updateApplication(trx, prior.id, state);
            return this.stored(prior.id, prior.sequence_id, state, false);
          }
          const id = newId('cap');
          await insertApplication(trx, {
            id,
            platform_id: who.tenantId,
            sequence_id: null,
            source: 'api',
            created_at: now,
            ...state,
          });
          return this.stored(id, null, state, true);
        });
      } catch (err) {
        // Two first reports of one external id at once: the loser reads the winner's and updates it
        // (or, when it named another application by its sequence id, finds the conflict).
        if (attempt === 0 && a.externalId && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  private stored(
    id: string,
    sequenceId: string | null,
    s: Pick<
      ConsortiumApplicationRow,
      | 'external_id'
      | 'app'
      | 'status'
      | 'applied_at'
      | 'decided_at'
      | 'loan_status'
      | 'loan_days_past_due'
      | 'loan_observed_at'
    >,
    created: boolean,
  ): StoredApplication {
    return {
      id,
      externalId: s.external_id,
      sequenceId,
      app: s.app,
      status: s.status,
      appliedAt: s.applied_at,
      decidedAt: s.decided_at,
      loan: s.loan_status
        ? { status: s.loan_status, daysPastDue: s.loan_days_past_due, observedAt: s.loan_observed_at }
        : null,
      created,
    };
  }
}

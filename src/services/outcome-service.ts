/** Recording what became of scored people, for monitoring and for scores that read repayment history. */
import type { Kysely } from 'kysely';
import { insertOutcomes, listOutcomesOfSubject } from '../db/repositories/outcome.repository.js';
import { ensureSubjects, subjectKey } from '../db/repositories/subject.repository.js';
import type { Database, OutcomeRow } from '../db/schema.js';
import { invalidInput, isCredenceError } from '../domain/errors.js';
import { checkOutcome, type OutcomeInput, type OutcomeKind, type OutcomeStatus } from '../domain/outcomes.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { PiiCipher } from '../security/pii-cipher.js';
import type { Principal } from './principal.js';

export interface Outcome extends OutcomeInput {
  id: string;
  subjectId: string;
  source: string;
  createdAt: string;
}

/**
 * `details` is the lender's own free-form object: sealed, as it may hold more than it should.
 * Outcomes recorded before it was sealed hold it in plain text, read as it is.
 */
const toOutcome = (r: OutcomeRow, cipher: PiiCipher): Outcome => ({
  id: r.id,
  subjectId: r.subject_id,
  kind: r.kind as OutcomeKind,
  status: r.status as OutcomeStatus,
  observedAt: r.observed_at,
  loanId: r.loan_id,
  daysPastDue: r.days_past_due,
  amount: r.amount,
  amountOverdue: r.amount_overdue,
  paidCapital: r.paid_capital,
  currency: r.currency,
  termDays: r.term_days,
  installment: r.installment === null ? null : r.installment === 1,
  externalId: r.external_id,
  details: JSON.parse(cipher.decryptOrPlain(r.details)) as Record<string, unknown>,
  source: r.source,
  createdAt: r.created_at,
});

export class OutcomeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly cipher: PiiCipher,
  ) {}

  /**
   * Records outcomes for subjects known by the tenant's own id, creating a subject it has not
   * scored yet. All or nothing: one invalid outcome stores none. Returns how many were new.
   */
  async record(
    who: Principal,
    items: readonly { partnerId: string; outcome: OutcomeInput }[],
    source: string,
  ): Promise<{ stored: number; duplicates: number }> {
    const clockNow = this.clock.now();
    const checked = items.map((item, i) => {
      try {
        return { partnerId: item.partnerId, outcome: checkOutcome(item.outcome, clockNow) };
      } catch (err) {
        // Name the record at fault: `outcomes[3].status`.
        const field = isCredenceError(err) ? err.details.field : undefined;
        if (field === undefined) throw err;
        throw invalidInput(`outcomes[${i}].${field}`, `outcomes[${i}]: ${(err as Error).message}`);
      }
    });
    const now = this.clock.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const wanted = new Map<string, { tenantId: string; partnerId: string; newId: string; at: string }>();
      for (const i of checked) {
        wanted.set(subjectKey(who.tenantId, i.partnerId), {
          tenantId: who.tenantId,
          partnerId: i.partnerId,
          newId: newId('sub'),
          at: now,
        });
      }
      const subjects = await ensureSubjects(trx, [...wanted.values()]);
      const rows: OutcomeRow[] = checked.map(({ partnerId, outcome: o }) => ({
        id: newId('out'),
        tenant_id: who.tenantId,
        subject_id: subjects.get(subjectKey(who.tenantId, partnerId))!,
        kind: o.kind,
        loan_id: o.loanId ?? null,
        status: o.status,
        days_past_due: o.daysPastDue ?? null,
        amount: o.amount ?? null,
        amount_overdue: o.amountOverdue ?? null,
        paid_capital: o.paidCapital ?? null,
        currency: o.currency ?? null,
        term_days: o.termDays ?? null,
        installment: o.installment == null ? null : o.installment ? 1 : 0,
        observed_at: o.observedAt,
        source,
        external_id: o.externalId ?? null,
        details: this.cipher.encrypt(JSON.stringify(o.details ?? {})),
        created_at: now,
      }));
      const stored = await insertOutcomes(trx, rows);
      return { stored, duplicates: rows.length - stored };
    });
  }

  async ofSubject(who: Principal, subjectId: string): Promise<Outcome[]> {
    return (await listOutcomesOfSubject(this.db, who.tenantId, subjectId)).map((r) =>
      toOutcome(r, this.cipher),
    );
  }
}

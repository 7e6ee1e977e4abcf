/**
 * `behavior_analysis_of_repayment`: how the person has repaid, from two sources the tenant holds:
 * loan outcomes (the `outcomes` table: each loan's status and days past due as observed), and the
 * latest repayment schedule scored for the person (`repayment_score`: each instalment month
 * judged on time, late, partial or unpaid; docs/payment-schedule.md).
 *
 * Indicators that need a source the tenant does not have for the person are 202; those whose
 * source could not be read are 500 (the others are still answered).
 */
import type { MonthStatus } from '../schedule/payment-schedule.js';
import type { IndicatorDefinition } from './definition.js';
import {
  cannotCalculate,
  DAY_MS,
  type Indicator,
  indicator,
  noRecord,
  systemError,
  WINDOWS,
  within,
} from './values.js';

export interface LoanObservation {
  /** Observations with the same loan id are one loan; one without an id is a loan of its own. */
  loanId: string | null;
  /** current | paid | arrears | default | written_off */
  status: string;
  daysPastDue: number | null;
  observedAt: string;
}

export interface ScheduledMonth {
  dueDate: string;
  status: MonthStatus;
  /** Null while the month is not judged yet. */
  score: number | null;
  daysLate?: number | undefined;
}

export interface RepaymentBehaviourInput {
  subjectFound: boolean;
  /** The subject's loan outcomes, or 'error' when they could not be read. */
  loans: readonly LoanObservation[] | 'error';
  /** The latest scored repayment schedule, if any, or 'error' when it could not be read. */
  schedule?: { scoredAt: string; months: readonly ScheduledMonth[] } | 'error' | undefined;
}

const OVERDUE_LOAN_STATUSES = new Set(['arrears', 'default', 'written_off']);
const ON_TIME: ReadonlySet<MonthStatus> = new Set(['PAID', 'OVERPAID']);
const LATE: ReadonlySet<MonthStatus> = new Set(['PAID_LATE', 'PAID_PARTIALLY', 'OVERDUE']);
const UNPAID: ReadonlySet<MonthStatus> = new Set(['PAID_PARTIALLY', 'OVERDUE']);

const isOverdue = (o: LoanObservation) => OVERDUE_LOAN_STATUSES.has(o.status) || (o.daysPastDue ?? 0) > 0;

const LOAN_INDICATORS = [
  'bar_loans_count',
  'bar_paid_off_loans_count',
  'bar_active_loans_count',
  ...WINDOWS.map((d) => `bar_overdue_loans_${d}d`),
];
const SCHEDULE_INDICATORS = ['bar_on_time_pct', ...WINDOWS.map((d) => `bar_late_instalments_${d}d`)];

export const REPAYMENT_BEHAVIOUR_INDICATORS: readonly IndicatorDefinition[] = [
  {
    name: 'bar_loans_count',
    type: 'integer',
    range: '1 or more',
    meaning: 'Loans the tenant has recorded outcomes for.',
  },
  {
    name: 'bar_paid_off_loans_count',
    type: 'integer',
    range: '0 or more',
    meaning: 'Of those, loans whose latest status is paid.',
  },
  {
    name: 'bar_active_loans_count',
    type: 'integer',
    range: '0 or more',
    meaning: 'Of those, loans whose latest status is current or arrears.',
  },
  ...WINDOWS.map(
    (d): IndicatorDefinition => ({
      name: `bar_overdue_loans_${d}d`,
      type: 'integer',
      range: '0 or more',
      meaning: `Loans observed overdue (arrears, default, written off, or days past due above 0) in the last ${d} days.`,
    }),
  ),
  {
    name: 'bar_on_time_pct',
    type: 'integer',
    range: '0-100',
    meaning:
      'Percentage (rounded) of the judged instalment months of the latest repayment schedule that were paid in full by their due date.',
  },
  ...WINDOWS.map(
    (d): IndicatorDefinition => ({
      name: `bar_late_instalments_${d}d`,
      type: 'integer',
      range: '0 or more',
      meaning: `Instalments of the latest repayment schedule due in the last ${d} days that were paid late, partly or not at all.`,
    }),
  ),
  {
    name: 'bar_max_days_past_due',
    type: 'integer',
    range: '0 or more',
    meaning:
      'The most days past due seen: the highest of the loan outcomes that report days past due, the days late of instalments paid late, and the days an unpaid instalment had been due when the schedule was scored. 202 when none of these is known (loan outcomes reported without days past due, and no judged instalment).',
  },
];

export function repaymentBehaviourIndicators(input: RepaymentBehaviourInput, now: Date): Indicator[] {
  const names = REPAYMENT_BEHAVIOUR_INDICATORS.map((d) => d.name);
  if (!input.subjectFound) return names.map(noRecord);
  const values = new Map<string, number>();
  const failed = new Set<string>();
  const t = now.getTime();

  const loans = new Map<string, LoanObservation[]>();
  const loanRecords = input.loans === 'error' ? [] : input.loans;
  if (input.loans === 'error') for (const n of LOAN_INDICATORS) failed.add(n);
  loanRecords.forEach((o, i) => {
    const key = o.loanId === null ? `#${i}` : `=${o.loanId}`;
    const list = loans.get(key) ?? [];
    list.push(o);
    loans.set(key, list);
  });
  let maxDpd: number | undefined;
  if (loans.size > 0) {
    const latest = [...loans.values()].map((list) =>
      list.reduce((a, b) => (Date.parse(b.observedAt) >= Date.parse(a.observedAt) ? b : a)),
    );
    values.set('bar_loans_count', loans.size);
    values.set('bar_paid_off_loans_count', latest.filter((o) => o.status === 'paid').length);
    values.set(
      'bar_active_loans_count',
      latest.filter((o) => o.status === 'current' || o.status === 'arrears').length,
    );
    for (const d of WINDOWS) {
      const overdue = [...loans.values()].filter((list) =>
        // An outcome may be dated up to a day ahead (a date is its UTC midnight, "today" east of
        // UTC): it was observed by now, and `within` counts it as now.
        list.some((o) => isOverdue(o) && within(o.observedAt, d, t)),
      );
      values.set(`bar_overdue_loans_${d}d`, overdue.length);
    }
    // Only observations that report days past due say how late a loan was: a default or a
    // write-off reported without them is not 0 days late, and leaves the maximum to the others.
    for (const o of loanRecords) if (o.daysPastDue !== null) maxDpd = Math.max(maxDpd ?? 0, o.daysPastDue);
  }

  const schedule = input.schedule === 'error' ? undefined : input.schedule;
  if (input.schedule === 'error') for (const n of SCHEDULE_INDICATORS) failed.add(n);
  const judged = schedule?.months.filter((m) => m.score !== null) ?? [];
  if (schedule && judged.length > 0) {
    values.set(
      'bar_on_time_pct',
      // A whole percentage: the seed types indicator values as String/int.
      Math.round((100 * judged.filter((m) => ON_TIME.has(m.status)).length) / judged.length),
    );
    for (const d of WINDOWS) {
      values.set(
        `bar_late_instalments_${d}d`,
        judged.filter((m) => LATE.has(m.status) && within(m.dueDate, d, t)).length,
      );
    }
    const scoredAt = Date.parse(schedule.scoredAt);
    for (const m of judged) {
      const days =
        m.status === 'PAID_LATE'
          ? (m.daysLate ?? 0)
          : UNPAID.has(m.status)
            ? Math.max(0, Math.floor((scoredAt - Date.parse(m.dueDate)) / DAY_MS))
            : 0;
      maxDpd = Math.max(maxDpd ?? 0, days);
    }
  }
  if (failed.size > 0) failed.add('bar_max_days_past_due');
  else if (maxDpd !== undefined) values.set('bar_max_days_past_due', maxDpd);

  return names.map((name) => {
    if (failed.has(name)) return systemError(name);
    const v = values.get(name);
    return v === undefined ? cannotCalculate(name) : indicator(name, v);
  });
}

/**
 * Outcomes: what became of a scored person. A loan's performance (paid, in arrears, defaulted), an
 * application's decision, or a lender's feedback (a positive or negative flag). Model monitoring
 * reads them as the target of the scores it checks.
 */
import { invalidInput } from './errors.js';
import { parseIsoDate } from './iso-date.js';
import { MAX_REPORTED_AMOUNT } from './money.js';

export const OUTCOME_STATUSES = {
  loan: ['current', 'paid', 'arrears', 'default', 'written_off'],
  application: ['accepted', 'declined', 'drop_off'],
  feedback: ['positive', 'negative'],
} as const;

export type OutcomeKind = keyof typeof OUTCOME_STATUSES;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[OutcomeKind][number];

export interface OutcomeInput {
  kind: OutcomeKind;
  status: OutcomeStatus;
  /** ISO 8601 date or date-time when the outcome was observed. */
  observedAt: string;
  loanId?: string | null | undefined;
  daysPastDue?: number | null | undefined;
  amount?: number | null | undefined;
  amountOverdue?: number | null | undefined;
  paidCapital?: number | null | undefined;
  currency?: string | null | undefined;
  termDays?: number | null | undefined;
  installment?: boolean | null | undefined;
  /** The caller's id for the record: the same id is stored once. */
  externalId?: string | null | undefined;
  /** Anything else worth keeping; never personal data. */
  details?: Record<string, unknown> | undefined;
}

/** Days past due from which a loan counts as bad in monitoring (Basel's default definition). */
export const BAD_DAYS_PAST_DUE = 90;

/** The largest amount an outcome records. */
export const MAX_OUTCOME_AMOUNT = MAX_REPORTED_AMOUNT;
/** The longest term, or time past due, an outcome records: a century of days. */
export const MAX_OUTCOME_DAYS = 36_500;

/** ISO 4217 currency codes in use, as the runtime's ICU data knows them (e.g. KES, GBP). */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
export const isCurrencyCode = (code: string): boolean => CURRENCIES.has(code);

/**
 * How far ahead of the clock `observed_at` may be: a date without a time is its midnight in UTC,
 * so "today" in a time zone ahead of UTC is up to 14 hours in UTC's future.
 */
export const OBSERVED_AHEAD_MS = 24 * 60 * 60 * 1000;

/** Whether an outcome observed at `observedMs` is dated after `now`, beyond OBSERVED_AHEAD_MS. */
export const isObservedAhead = (observedMs: number, now: Date): boolean =>
  observedMs > now.getTime() + OBSERVED_AHEAD_MS;

/**
 * Checks an outcome; throws CREDENCE_INVALID_INPUT naming the field at fault. An outcome is
 * recorded once observed: one dated after `now` (beyond a day's leeway for time zones) is refused,
 * since monitoring would count it against the runs before it. Returns it with `observedAt` as the
 * ISO instant it was read as (a time without an offset is UTC), ready to store.
 */
export function checkOutcome(o: OutcomeInput, now: Date): OutcomeInput {
  const allowed = OUTCOME_STATUSES[o.kind] as readonly string[] | undefined;
  if (!allowed)
    throw invalidInput('kind', `kind must be one of: ${Object.keys(OUTCOME_STATUSES).join(', ')}`);
  if (!allowed.includes(o.status)) {
    throw invalidInput('status', `status of a ${o.kind} outcome must be one of: ${allowed.join(', ')}`);
  }
  const observed = parseIsoDate(o.observedAt, 'observed_at');
  if (isObservedAhead(observed, now))
    throw invalidInput(
      'observed_at',
      `observed_at is in the future (${o.observedAt}): record an outcome once it is observed`,
    );
  for (const [field, value] of [
    ['days_past_due', o.daysPastDue],
    ['term_days', o.termDays],
  ] as const) {
    if (value != null && !(Number.isInteger(value) && value >= 0))
      throw invalidInput(field, `${field} must be a whole number of at least 0`);
    if (value != null && value > MAX_OUTCOME_DAYS)
      throw invalidInput(field, `${field} must be at most ${MAX_OUTCOME_DAYS}`);
  }
  for (const [field, value] of [
    ['amount', o.amount],
    ['amount_overdue', o.amountOverdue],
    ['paid_capital', o.paidCapital],
  ] as const) {
    if (value != null && !(Number.isFinite(value) && value >= 0))
      throw invalidInput(field, `${field} must be a number of at least 0`);
    if (value != null && value > MAX_OUTCOME_AMOUNT)
      throw invalidInput(field, `${field} must be at most ${MAX_OUTCOME_AMOUNT}`);
  }
  if (o.currency != null && !isCurrencyCode(o.currency))
    throw invalidInput('currency', 'currency must be an ISO 4217 code such as KES');
  return { ...o, observedAt: new Date(observed).toISOString() };
}

/**
 * Whether an outcome marks the person as bad for monitoring: a loan in default, written off, or
 * at least 90 days past due; a negative flag. Paid and current loans, positive flags and
 * accepted applications are good; declined and dropped-off applications say nothing.
 */
export function outcomeClass(
  o: Pick<OutcomeInput, 'kind' | 'status' | 'daysPastDue'>,
): 'bad' | 'good' | 'unknown' {
  switch (o.kind) {
    case 'loan':
      if (o.status === 'default' || o.status === 'written_off') return 'bad';
      if ((o.daysPastDue ?? 0) >= BAD_DAYS_PAST_DUE) return 'bad';
      return o.status === 'arrears' ? 'unknown' : 'good';
    case 'feedback':
      return o.status === 'negative' ? 'bad' : 'good';
    case 'application':
      return o.status === 'accepted' ? 'good' : 'unknown';
  }
}

/** An outcome as the native API and `credence outcomes import` spell it. */
export interface OutcomeRecord {
  partner_id: string;
  kind?: OutcomeKind | undefined;
  status: string;
  observed_at: string;
  loan_id?: string | null | undefined;
  days_past_due?: number | null | undefined;
  amount?: number | null | undefined;
  amount_overdue?: number | null | undefined;
  paid_capital?: number | null | undefined;
  currency?: string | null | undefined;
  term_days?: number | null | undefined;
  installment?: boolean | null | undefined;
  external_id?: string | null | undefined;
  details?: Record<string, unknown> | undefined;
}

/** The fields of an OutcomeRecord, in the order a CSV file lists them. */
export const OUTCOME_FIELDS = [
  'partner_id',
  'kind',
  'loan_id',
  'status',
  'observed_at',
  'days_past_due',
  'amount',
  'amount_overdue',
  'paid_capital',
  'currency',
  'term_days',
  'installment',
  'external_id',
] as const;

/** A record as the service takes it; `kind` defaults to a loan, the usual feedback. */
export function fromRecord(r: OutcomeRecord): { partnerId: string; outcome: OutcomeInput } {
  return {
    partnerId: r.partner_id,
    outcome: {
      kind: r.kind ?? 'loan',
      status: r.status as OutcomeStatus,
      observedAt: r.observed_at,
      loanId: r.loan_id,
      daysPastDue: r.days_past_due,
      amount: r.amount,
      amountOverdue: r.amount_overdue,
      paidCapital: r.paid_capital,
      currency: r.currency,
      termDays: r.term_days,
      installment: r.installment,
      externalId: r.external_id,
      ...(r.details === undefined ? {} : { details: r.details }),
    },
  };
}

/**
 * Payment-schedule scoring: how well a person kept to a monthly schedule of payments
 * (loan repayments) or deposits (savings, salary into a mobile-money wallet).
 *
 * The rules follow the Open Finance Africa Payment Score API (MIT), with its gaps filled in
 * and written down in docs/payment-schedule.md:
 * - each month's due date is the expected day, clamped to the month's last day (a 31st in
 *   February is the 28th or 29th);
 * - a month is judged at the start of the day after its due date, against the cumulative
 *   expected amount, so an overpayment carries forward and a shortfall stays owed;
 * - paid in full by then scores 1; covered later scores 1 - 0.1 per calendar day late (0 from
 *   ten days);
 *   a month that still scores 0 earns half the share of the cumulative amount that was paid;
 * - the overall score is the mean over judged months, two decimals, capped at 1.
 */
import { roundDecimal } from '../../lib/decimal.js';
import { invalidInput } from '../errors.js';
import { daysInMonth, parseIsoDate, parseIsoDay, utcDay } from '../iso-date.js';

export type MonthStatus =
  | 'PAID'
  | 'PAID_PARTIALLY'
  | 'OVERPAID'
  | 'PAID_LATE'
  | 'OVERDUE'
  | 'UPCOMING'
  | 'PENDING'
  | 'UNKNOWN';

export type ScheduleError = 'START_DATE_IN_FUTURE' | 'NO_SCORED_MONTHS';

export interface SchedulePayment {
  date: string;
  amount: number;
}

export interface ScheduleInput {
  startDate: string;
  /** Defaults to `asOf`. */
  endDate?: string | undefined;
  /** Day of the month, 1-31. */
  dueDay: number;
  expectedAmount: number;
  payments: readonly SchedulePayment[];
  /** Score months even when the schedule starts after `asOf`. */
  scoreBeforeStartDate?: boolean | undefined;
}

/** How the caller names the fields, so that errors speak the caller's vocabulary. */
export interface ScheduleFieldNames {
  startDate: string;
  endDate: string;
  dueDay: string;
  expectedAmount: string;
  payments: string;
}

export interface ScoredMonth {
  /** `YYYY-MM` */
  month: string;
  /** The due date as an ISO timestamp at UTC midnight, `2024-01-05T00:00:00+00:00`. */
  dueDate: string;
  status: MonthStatus;
  /** 0-1, two decimals; null for months not judged yet (UPCOMING, PENDING). */
  score: number | null;
  /** Paid by the judgement time minus expected so far (negative when short). */
  balance: number;
  /** Days between the due date and the payment that covered it, for PAID_LATE months. */
  daysLate?: number;
}

export interface ScheduleResult {
  overallScore: number;
  longestOnTimeStreak: number;
  longestLateStreak: number;
  months: ScoredMonth[];
  expectedAmount: number;
  /** Everything paid up to now minus everything expected in judged months. */
  balance: number;
  error?: ScheduleError;
}

export const LATE_PENALTY_PER_DAY = 0.1;
export const PARTIAL_CREDIT_WEIGHT = 0.5;
/** A hundred years of monthly instalments is more than any schedule needs. */
export const MAX_MONTHS = 1200;

const DAY_MS = 86_400_000;

const ON_TIME: ReadonlySet<MonthStatus> = new Set(['PAID', 'OVERPAID']);
const LATE: ReadonlySet<MonthStatus> = new Set(['PAID_LATE', 'PAID_PARTIALLY', 'OVERDUE']);

const startOfDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
/** Two decimals, as on paper (src/lib/decimal.ts); a rounded -0 (a drift below zero) is 0. */
const round2 = (n: number) => roundDecimal(n, 2);

/**
 * Sums of decimal amounts drift in binary floating point (600.05 + 400.05 is not 1000.1), so two
 * totals closer than this share of the larger count as equal.
 */
const MONEY_TOLERANCE = 1e-9;
const slack = (amount: number) => MONEY_TOLERANCE * Math.max(1, Math.abs(amount));
/** `paid` covers `owed`, allowing for floating-point drift. */
const covers = (paid: number, owed: number) => paid >= owed - slack(owed);
/** `paid` is more than `owed` by more than floating-point drift. */
const exceeds = (paid: number, owed: number) => paid > owed + slack(owed);

export function scoreSchedule(input: ScheduleInput, asOf: Date, names: ScheduleFieldNames): ScheduleResult {
  const now = asOf.getTime();
  // The period's ends are days of the lender's calendar, read as written; payments are instants.
  const start = parseIsoDay(input.startDate, names.startDate);
  const end = input.endDate === undefined ? now : parseIsoDay(input.endDate, names.endDate);
  if (input.endDate !== undefined && end < start) {
    throw invalidInput(names.endDate, `${names.endDate} must not be before ${names.startDate}`);
  }
  if (!Number.isInteger(input.dueDay) || input.dueDay < 1 || input.dueDay > 31) {
    throw invalidInput(names.dueDay, `${names.dueDay} must be a day of the month from 1 to 31`);
  }
  if (!(input.expectedAmount > 0)) {
    throw invalidInput(names.expectedAmount, `${names.expectedAmount} must be greater than 0`);
  }

  const sorted = input.payments
    .map((p, i) => {
      const field = `${names.payments}[${i}]`;
      if (!(p.amount >= 0)) throw invalidInput(`${field}.amount`, `${field}.amount must not be negative`);
      return { at: parseIsoDate(p.date, `${field}.date`), amount: p.amount };
    })
    .sort((a, b) => a.at - b.at);
  const ledger = new Ledger(sorted);

  const empty = (error: ScheduleError): ScheduleResult => ({
    overallScore: 0,
    longestOnTimeStreak: 0,
    longestLateStreak: 0,
    months: [],
    expectedAmount: input.expectedAmount,
    balance: 0,
    error,
  });
  if (start > now && !input.scoreBeforeStartDate) return empty('START_DATE_IN_FUTURE');

  const months: ScoredMonth[] = [];
  let expectedSoFar = 0;
  let judgedExpected = 0;
  const first = new Date(start);
  for (let y = first.getUTCFullYear(), m = first.getUTCMonth(); ; m++) {
    if (m === 12) {
      m = 0;
      y++;
    }
    const due = utcDay(y, m, Math.min(input.dueDay, daysInMonth(y, m)));
    if (due > end) break;
    if (months.length >= MAX_MONTHS) {
      // Name the field the caller sent: without an end date, the start is what is too early.
      const field = input.endDate === undefined ? names.startDate : names.endDate;
      throw invalidInput(field, `a schedule may span at most ${MAX_MONTHS} months`);
    }
    if (due < start) continue;
    const previousExpected = expectedSoFar;
    expectedSoFar += input.expectedAmount;
    const month = judgeMonth(due, previousExpected, expectedSoFar, ledger, now);
    if (month.score !== null) judgedExpected = expectedSoFar;
    months.push(month);
  }

  const judged = months.filter((m) => m.score !== null);
  let onTime = 0;
  let late = 0;
  let longestOnTime = 0;
  let longestLate = 0;
  let total = 0;
  for (const m of judged) {
    total += m.score!;
    onTime = ON_TIME.has(m.status) ? onTime + 1 : 0;
    late = LATE.has(m.status) ? late + 1 : 0;
    longestOnTime = Math.max(longestOnTime, onTime);
    longestLate = Math.max(longestLate, late);
  }
  const paidToDate = ledger.paidBefore(now + 1);

  const result: ScheduleResult = {
    overallScore: judged.length === 0 ? 0 : Math.min(1, round2(total / judged.length)),
    longestOnTimeStreak: longestOnTime,
    longestLateStreak: longestLate,
    months,
    expectedAmount: input.expectedAmount,
    balance: round2(paidToDate - judgedExpected),
  };
  if (judged.length === 0) result.error = 'NO_SCORED_MONTHS';
  return result;
}

/** Payments sorted by time with running totals, so each month is judged in O(log n). */
class Ledger {
  private readonly times: number[];
  private readonly totals: number[];

  constructor(sorted: readonly { at: number; amount: number }[]) {
    this.times = sorted.map((p) => p.at);
    let running = 0;
    this.totals = sorted.map((p) => {
      running += p.amount;
      return running;
    });
  }

  /** Total paid strictly before time t. */
  paidBefore(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : this.totals[lo - 1]!;
  }

  /** Time of the payment that first brought the running total to `amount`, if any. */
  reachedAt(amount: number): number | undefined {
    let lo = 0;
    let hi = this.totals.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.totals[mid]! < amount) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.times.length ? this.times[lo] : undefined;
  }
}

function judgeMonth(
  due: number,
  previousExpected: number,
  expected: number,
  ledger: Ledger,
  now: number,
): ScoredMonth {
  const judgement = due + DAY_MS;
  const base = {
    month: new Date(due).toISOString().slice(0, 7),
    dueDate: `${new Date(due).toISOString().slice(0, 10)}T00:00:00+00:00`,
  };
  const paidByDue = ledger.paidBefore(Math.min(judgement, now + 1));
  const balance = round2(paidByDue - expected);

  if (now < due) return { ...base, status: 'UPCOMING', score: null, balance };
  if (now < judgement) return { ...base, status: 'PENDING', score: null, balance };
  if (covers(paidByDue, expected))
    return { ...base, status: exceeds(paidByDue, expected) ? 'OVERPAID' : 'PAID', score: 1, balance };

  // Short at the due date: did a later payment (up to now) cover the cumulative amount?
  const reached = ledger.reachedAt(expected - slack(expected));
  const coveredAt = reached !== undefined && reached <= now ? reached : undefined;
  let score = 0;
  let status: MonthStatus;
  let daysLate: number | undefined;
  if (coveredAt !== undefined) {
    status = 'PAID_LATE';
    // Calendar days: a payment at any time on the day after the due date is one day late.
    daysLate = Math.max(1, Math.round((startOfDay(coveredAt) - due) / DAY_MS));
    score = Math.max(0, 1 - LATE_PENALTY_PER_DAY * daysLate);
  } else {
    status = exceeds(paidByDue, previousExpected) ? 'PAID_PARTIALLY' : 'OVERDUE';
  }
  if (score === 0) score = (paidByDue / expected) * PARTIAL_CREDIT_WEIGHT;
  return { ...base, status, score: round2(score), balance, ...(daysLate !== undefined ? { daysLate } : {}) };
}

/** Features of a schedule result that scorecards use (docs/payment-schedule.md). */
export function scheduleFeatures(r: ScheduleResult): Record<string, number | string | null> {
  const judged = r.months.filter((m) => m.score !== null);
  const n = judged.length;
  const count = (s: ReadonlySet<MonthStatus>) => judged.filter((m) => s.has(m.status)).length;
  return {
    overall_score: n === 0 ? null : r.overallScore,
    months_scored: n,
    on_time_share: n === 0 ? null : round2(count(ON_TIME) / n),
    longest_on_time_streak: n === 0 ? null : r.longestOnTimeStreak,
    longest_late_streak: n === 0 ? null : r.longestLateStreak,
    months_unpaid:
      n === 0 ? null : judged.filter((m) => m.status === 'OVERDUE' || m.status === 'PAID_PARTIALLY').length,
    last_status: n === 0 ? null : judged[n - 1]!.status,
    arrears_in_instalments: n === 0 ? null : round2(Math.max(0, -r.balance) / r.expectedAmount),
  };
}

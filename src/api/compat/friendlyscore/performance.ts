/**
 * performance-data.json's fields (seed: performance-data) as outcomes: the application's decision
 * and the loan's state. Form posts send numbers as text, JSON posts as numbers; both are read.
 */
import {
  isCurrencyCode,
  isObservedAhead,
  MAX_OUTCOME_AMOUNT,
  MAX_OUTCOME_DAYS,
  type OutcomeInput,
} from '../../../domain/outcomes.js';
import { decimalNumber } from '../../../lib/decimal.js';
import { FriendlyScoreResponse } from './errors.js';
import { isEmptyPhpArray } from './php-json.js';

const FIELDS = [
  'loan_application_customer_id',
  'loan_application_date',
  'loan_application_status',
  'loan_value',
  'loan_paid_capital',
  'loan_currency',
  'loan_term',
  'loan_status',
  'loan_arrears_days',
  'loan_arrears_amount_overdue',
  'loan_is_installment',
  'comments',
] as const;
const LOAN_FIELDS = [
  'loan_value',
  'loan_paid_capital',
  'loan_currency',
  'loan_term',
  'loan_arrears_days',
  'loan_arrears_amount_overdue',
  'loan_is_installment',
] as const;

const APPLICATION_STATUS = { accepted: 'accepted', declined: 'declined', 'drop-off': 'drop_off' } as const;
const LOAN_STATUS = { active: 'current', arrears: 'arrears', paid: 'paid' } as const;

/** Comments of one kind on a loan: a million is more than any lender counts. */
const MAX_COMMENTS = 1_000_000;

const bad = (message: string) =>
  new FriendlyScoreResponse(400, { code: 400, message: `Bad parameters provided - ${message}` });

const given = (v: unknown) => v !== undefined && v !== null && v !== '';

/** An amount of money, at most MAX_OUTCOME_AMOUNT. */
function number(b: Record<string, unknown>, f: string): number | undefined {
  const v = b[f];
  if (!given(v)) return undefined;
  // Text is read as a decimal number (`1500.50`, `1e3`), as PHP's floatval reads a form field.
  const n = typeof v === 'number' ? v : typeof v === 'string' ? (decimalNumber(v) ?? Number.NaN) : Number.NaN;
  if (!Number.isFinite(n)) throw bad(`${f} must be a number`);
  if (n < 0) throw bad(`${f} must be a number of at least 0`);
  if (n > MAX_OUTCOME_AMOUNT) throw bad(`${f} must be at most ${MAX_OUTCOME_AMOUNT}`);
  return n;
}

function integer(b: Record<string, unknown>, f: string, max: number): number | undefined {
  const v = b[f];
  if (!given(v)) return undefined;
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < 0) throw bad(`${f} must be a whole number of at least 0`);
  if (n > max) throw bad(`${f} must be at most ${max}`);
  return n;
}

function text(b: Record<string, unknown>, f: string, max: number): string | undefined {
  const v = b[f];
  if (!given(v)) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw bad(`${f} must be text`);
  const s = String(v).trim();
  if (s.length > max) throw bad(`${f} must be at most ${max} characters`);
  return s;
}

function oneOf<T extends Record<string, string>>(
  b: Record<string, unknown>,
  f: string,
  map: T,
): T[keyof T] | undefined {
  const v = text(b, f, 50);
  if (v === undefined) return undefined;
  if (!Object.hasOwn(map, v)) throw bad(`${f} must be one of: ${Object.keys(map).join(', ')}`);
  return map[v as keyof T];
}

/** `YYYY-mm-dd H:i:s` (PHP date format: 24-hour, two-digit minutes and seconds), read as UTC. */
function dateTime(b: Record<string, unknown>, f: string): string | undefined {
  const v = text(b, f, 19);
  if (v === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(v);
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : '';
  const d = new Date(iso);
  if (!m || Number.isNaN(d.getTime()) || d.toISOString() !== iso)
    throw bad(`${f} must be a date and time as YYYY-mm-dd H:i:s, e.g. 2024-05-17 14:30:00`);
  return iso;
}

function installment(b: Record<string, unknown>): boolean | undefined {
  const v = b.loan_is_installment;
  if (!given(v)) return undefined;
  if (v === 1 || v === '1' || v === true || v === 'true') return true;
  if (v === 0 || v === '0' || v === false || v === 'false') return false;
  throw bad('loan_is_installment must be 1 or 0');
}

function comments(b: Record<string, unknown>): Record<string, number> | undefined {
  const v = b.comments;
  if (!given(v) || isEmptyPhpArray(v)) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw bad('comments must be an object with the keys positive, negative and neutral');
  const out: Record<string, number> = {};
  for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
    if (!['positive', 'negative', 'neutral'].includes(k))
      throw bad(`comments.${k} is not allowed: use positive, negative or neutral`);
    const n = integer({ [`comments.${k}`]: raw }, `comments.${k}`, MAX_COMMENTS);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

/** The outcomes a performance-data request records; throws a 400 naming the bad field. */
export function performanceOutcomes(body: Record<string, unknown>, now: string): OutcomeInput[] {
  for (const key of Object.keys(body))
    if (!(FIELDS as readonly string[]).includes(key) && key !== 'access_token')
      throw bad(`${key} is not a performance-data field`);
  const customerId = text(body, 'loan_application_customer_id', 255);
  const appliedAt = dateTime(body, 'loan_application_date');
  if (appliedAt !== undefined && isObservedAhead(Date.parse(appliedAt), new Date(now)))
    throw bad('loan_application_date is in the future: report an application once it is decided');
  const appStatus = oneOf(body, 'loan_application_status', APPLICATION_STATUS);
  const loanStatus = oneOf(body, 'loan_status', LOAN_STATUS);
  const currency = text(body, 'loan_currency', 3)?.toUpperCase();
  if (currency !== undefined && !isCurrencyCode(currency))
    throw bad('loan_currency must be an ISO 4217 code such as GBP');
  const loan = {
    amount: number(body, 'loan_value'),
    paidCapital: number(body, 'loan_paid_capital'),
    termDays: integer(body, 'loan_term', MAX_OUTCOME_DAYS),
    daysPastDue: integer(body, 'loan_arrears_days', MAX_OUTCOME_DAYS),
    amountOverdue: number(body, 'loan_arrears_amount_overdue'),
    installment: installment(body),
  };
  const notes = comments(body);
  const details = {
    ...(notes ? { comments: notes } : {}),
    ...(appliedAt ? { loan_application_date: appliedAt } : {}),
  };
  if (!loanStatus && LOAN_FIELDS.some((f) => given(body[f])))
    throw bad('loan_status is required with the loan fields (active, arrears or paid)');
  const out: OutcomeInput[] = [];
  if (appStatus) {
    out.push({
      kind: 'application',
      status: appStatus,
      observedAt: appliedAt ?? now,
      loanId: customerId,
      details,
    });
  }
  if (loanStatus) {
    out.push({
      kind: 'loan',
      status: loanStatus,
      observedAt: now,
      loanId: customerId,
      currency,
      ...loan,
      details,
    });
  }
  if (out.length === 0) throw bad('give loan_application_status or loan_status');
  return out;
}

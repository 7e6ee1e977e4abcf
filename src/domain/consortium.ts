/**
 * Loan applications shared in the consortium (docs/td.md#the-consortium): what a tenant reports
 * about an application, checked before it is hashed and stored.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { CONTROL_CHARACTER, characterCount } from '../lib/text.js';
import { invalidInput } from './errors.js';
import { normalisePhone } from './identifiers.js';
import { INDICATOR_COUNTRIES, isIndicatorCountry } from './indicators/packages.js';
import { parseIsoDate } from './iso-date.js';
import { checkNationalId, NATIONAL_ID_RULES } from './national-id/index.js';
import { OUTCOME_STATUSES } from './outcomes.js';

export const APPLICATION_STATUSES = ['submitted', 'approved', 'declined'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const LOAN_STATUSES = OUTCOME_STATUSES.loan;

export const MAX_APP_NAME = 128;

/**
 * App names are compared without regard to case or to how many spaces part their words: `Cash Now`
 * and ` cash  now ` are one app (`CashNow` is another). A name holding a control character (a tab,
 * a NUL) is no app's name: undefined, like an empty or too long one.
 */
export function normaliseAppName(raw: string): string | undefined {
  if (CONTROL_CHARACTER.test(raw)) return undefined;
  const v = raw.trim().replace(/\s+/g, ' ').toLowerCase();
  return v.length > 0 && characterCount(v) <= MAX_APP_NAME ? v : undefined;
}

export interface ApplicationReport {
  externalId?: string | undefined;
  /** The sequence id of the credit-indicator call that recorded the application, to report its state. */
  sequenceId?: string | undefined;
  /** ISO 3166-1 alpha-2: who issued the national id, and how to read a national phone number. */
  country: string;
  nationalId?: string | undefined;
  phone?: string | undefined;
  appName: string;
  appliedAt?: string | undefined;
  status?: ApplicationStatus | undefined;
  decidedAt?: string | undefined;
  loan?: { status: string; daysPastDue?: number | undefined; observedAt?: string | undefined } | undefined;
}

export interface CheckedApplication {
  externalId: string | null;
  sequenceId: string | null;
  country: string;
  nationalId: string | null;
  phone: string | null;
  app: string;
  appliedAt: string | null;
  status: ApplicationStatus;
  decidedAt: string | null;
  loan: { status: string; daysPastDue: number | null; observedAt: string | null } | null;
}

/**
 * How far ahead of the server's clock a reported time may be: a reporter's clock running a little
 * fast. A time later than that would be left out of every count until it came, silently.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const iso = (text: string | undefined, field: string, now: Date): string | null => {
  if (text === undefined) return null;
  const ms = parseIsoDate(text, field);
  if (ms > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw invalidInput(field, `${field} must not be in the future (it is ${now.toISOString()} now)`);
  }
  return new Date(ms).toISOString();
};

/**
 * Refuses a decision dated before the application was made; `slackMs` allows for the two times
 * coming from different clocks.
 */
export function checkDecidedAt(decidedAt: string, appliedAt: string, slackMs = 0): void {
  if (Date.parse(decidedAt) < Date.parse(appliedAt) - slackMs) {
    throw invalidInput('decided_at', `decided_at must not be earlier than applied_at (${appliedAt})`);
  }
}

/**
 * Checks and normalises a report; throws CREDENCE_INVALID_INPUT naming the field at fault. The
 * country must be one the credit-indicator API serves: only its calls read the consortium, and a
 * call of another country could never match the application.
 */
export function checkApplication(r: ApplicationReport, now: Date): CheckedApplication {
  const country = r.country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw invalidInput('country', 'country must be an ISO 3166-1 alpha-2 code');
  if (!isIndicatorCountry(country)) {
    throw invalidInput(
      'country',
      `country must be one the credit-indicator API serves: ${INDICATOR_COUNTRIES.join(', ')}`,
    );
  }
  if (r.nationalId === undefined && r.phone === undefined) {
    throw invalidInput('national_id', 'give national_id, phone or both');
  }
  let nationalId: string | null = null;
  if (r.nationalId !== undefined) {
    nationalId = checkNationalId(country, r.nationalId) ?? null;
    if (!nationalId) {
      const rule = NATIONAL_ID_RULES[country];
      throw invalidInput(
        'national_id',
        rule
          ? `national_id is not a valid ${rule.name} (${rule.format})`
          : 'national_id must be 4-32 letters and digits',
      );
    }
  }
  let phone: string | null = null;
  if (r.phone !== undefined) {
    phone = normalisePhone(r.phone, country as CountryCode) ?? null;
    if (!phone) {
      throw invalidInput(
        'phone',
        `phone must be a valid number, in E.164 (+...) or the national form of ${country}`,
      );
    }
  }
  if (r.sequenceId !== undefined && !/^[0-9a-f]{32}$/.test(r.sequenceId)) {
    throw invalidInput(
      'sequence_id',
      'sequence_id must be the 32 hex digits a credit-indicator call answered',
    );
  }
  const app = normaliseAppName(r.appName);
  if (!app)
    throw invalidInput(
      'app_name',
      `app_name must be 1-${MAX_APP_NAME} characters, none of them a control character`,
    );
  const status = r.status ?? 'submitted';
  if (r.decidedAt !== undefined && status === 'submitted') {
    throw invalidInput('decided_at', 'decided_at needs a status of approved or declined');
  }
  let loan: CheckedApplication['loan'] = null;
  if (r.loan) {
    if (status !== 'approved') throw invalidInput('loan', 'only an approved application has a loan');
    if (!(LOAN_STATUSES as readonly string[]).includes(r.loan.status)) {
      throw invalidInput('loan.status', `loan.status must be one of: ${LOAN_STATUSES.join(', ')}`);
    }
    const dpd = r.loan.daysPastDue;
    if (dpd !== undefined && !(Number.isInteger(dpd) && dpd >= 0)) {
      throw invalidInput('loan.days_past_due', 'loan.days_past_due must be a whole number of at least 0');
    }
    loan = {
      status: r.loan.status,
      daysPastDue: dpd ?? null,
      observedAt: iso(r.loan.observedAt, 'loan.observed_at', now),
    };
  }
  const appliedAt = iso(r.appliedAt, 'applied_at', now);
  const decidedAt = iso(r.decidedAt, 'decided_at', now);
  if (appliedAt && decidedAt) checkDecidedAt(decidedAt, appliedAt);
  return {
    externalId: r.externalId ?? null,
    sequenceId: r.sequenceId ?? null,
    country,
    nationalId,
    phone,
    app,
    appliedAt,
    status,
    decidedAt,
    loan,
  };
}

/**
 * A telecom operator's subscriber as the operator loads it: the phone number (E.164), the id
 * document, the kind of subscription, the activation date and monthly usage and payment features
 * (docs/camara.md#subscriber-data). Checked and normalised here, whether it came as a CSV row or
 * in an API batch.
 */
import { invalidInput } from '../errors.js';
import { normaliseIdentifier, normalisePhone } from '../identifiers.js';
import { daysInMonth } from '../iso-date.js';

export const SUBSCRIPTION_TYPES = ['prepaid', 'postpaid', 'b2b'] as const;
export type SubscriptionType = (typeof SUBSCRIPTION_TYPES)[number];

/** The features the starter scorecard reads; any other numeric feature is kept for custom models. */
export const TELCO_FEATURES = {
  arpu: 'Average monthly revenue from the subscription over the last 12 months (operator currency).',
  topup_amount_avg: 'Prepaid: average monthly top-up amount over the last 12 months.',
  topup_regularity: 'Prepaid: share of the last 12 months with at least one top-up, 0 to 1.',
  bill_payment_delay_days: 'Postpaid: average days a bill was paid after its due date, last 12 months.',
  late_bills_12m: 'Postpaid: bills paid after their due date in the last 12 months.',
  tenure_months: 'Months since activation; computed from activation_date when not given.',
  device_changes_12m: 'Handsets used with the SIM for the first time in the last 12 months.',
  sim_swaps_12m: 'SIM swaps (new SIM card for the same number) in the last 12 months.',
} as const;

/** The leading CSV columns; every further column is a feature. */
export const SUBSCRIBER_COLUMNS = [
  'phone_number',
  'id_document',
  'subscription_type',
  'activation_date',
] as const;

const FEATURE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** Why `name` cannot name a feature, or undefined when it can. */
export const featureNameProblem = (name: string): string | undefined =>
  FEATURE_NAME.test(name)
    ? undefined
    : `feature name ${JSON.stringify(name)} must start with a lower case letter, followed by lower case letters, digits or _, 64 characters at most`;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_FEATURES = 100;

export interface SubscriberInput {
  phone_number: string;
  id_document?: string | null | undefined;
  subscription_type: string;
  activation_date: string;
  features?: Readonly<Record<string, number | null>> | undefined;
}

export interface Subscriber {
  /** E.164. */
  phone: string;
  /** Compacted: upper case, without spaces, dots or hyphens. */
  idDocument: string | null;
  subscriptionType: SubscriptionType;
  activationDate: string;
  features: Record<string, number>;
}

/**
 * A phone number in international form with its `+` (`+254 712 345 678`, `+254 (712) 345678`) in
 * E.164; undefined when it is not one.
 */
export function internationalPhone(value: string): string | undefined {
  return value.trim().startsWith('+') ? normalisePhone(value) : undefined;
}

/** A subscriber's phone number, as loaded or as named in a request, in E.164 (see above). */
export function subscriberPhone(value: string): string {
  const e164 = internationalPhone(value);
  if (!e164)
    throw invalidInput('phone_number', `phone_number "${value}" is not a valid number in E.164 form (+...)`);
  return e164;
}

/** The longest id document a subscriber may hold: the most CAMARA 0.3's `idDocument` takes. */
export const MAX_ID_DOCUMENT = 30;

/** An id document number as it is compared: upper case, without separators (a national id's). */
export function normaliseIdDocument(value: string): string | undefined {
  return normaliseIdentifier('national_id', value);
}

/** Checks a subscriber; the error names the field (`features.arpu`). */
export function checkSubscriber(input: SubscriberInput, today: Date): Subscriber {
  const phone = subscriberPhone(input.phone_number);
  let idDocument: string | null = null;
  if (input.id_document !== undefined && input.id_document !== null && input.id_document.trim() !== '') {
    const doc = normaliseIdDocument(input.id_document);
    // CAMARA 0.3 takes an idDocument of at most 30 characters: a longer one could never be matched.
    if (!doc || doc.length > MAX_ID_DOCUMENT)
      throw invalidInput('id_document', `id_document must be 4 to ${MAX_ID_DOCUMENT} letters and digits`);
    idDocument = doc;
  }
  const type = input.subscription_type.trim().toLowerCase();
  if (!(SUBSCRIPTION_TYPES as readonly string[]).includes(type))
    throw invalidInput(
      'subscription_type',
      `subscription_type must be one of ${SUBSCRIPTION_TYPES.join(', ')}, not ${JSON.stringify(input.subscription_type)}`,
    );
  const date = input.activation_date.trim();
  const parsed = Date.parse(`${date}T00:00:00Z`);
  if (!DATE.test(date) || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== date)
    throw invalidInput(
      'activation_date',
      `activation_date must be a date YYYY-MM-DD, not ${JSON.stringify(date)}`,
    );
  if (parsed > today.getTime()) throw invalidInput('activation_date', 'activation_date is in the future');
  const features: Record<string, number> = {};
  const given = Object.entries(input.features ?? {});
  if (given.length > MAX_FEATURES) throw invalidInput('features', `at most ${MAX_FEATURES} features`);
  for (const [name, value] of given) {
    const problem = featureNameProblem(name);
    if (problem) throw invalidInput(`features.${name}`, problem);
    if (value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw invalidInput(`features.${name}`, `features.${name} must be a number, 0 or more`);
    features[name] = value;
  }
  if (features.topup_regularity !== undefined && features.topup_regularity > 1)
    throw invalidInput('features.topup_regularity', 'features.topup_regularity must be from 0 to 1');
  return { phone, idDocument, subscriptionType: type as SubscriptionType, activationDate: date, features };
}

/** Whole days of history a subscription has on `today`. */
export function historyDays(activationDate: string, today: Date): number {
  return Math.floor((today.getTime() - Date.parse(`${activationDate}T00:00:00Z`)) / 86_400_000);
}

/**
 * Whole calendar months from the activation date to `today` (UTC): 12 on the first anniversary.
 * A month ends on the same day of a later month, or on its last day when it is shorter (activated
 * on 31 January, a month has passed on 28 February).
 */
export function tenureMonths(activationDate: string, today: Date): number {
  const [y, m, d] = activationDate.split('-').map(Number) as [number, number, number];
  const ty = today.getUTCFullYear();
  const tm = today.getUTCMonth();
  const td = today.getUTCDate();
  const months = (ty - y) * 12 + (tm - (m - 1));
  const anniversary = Math.min(d, daysInMonth(ty, tm));
  return td >= anniversary ? months : months - 1;
}

/** What the scorecard reads: the features, the subscription type and the tenure. */
export function scoringAttributes(s: Subscriber, today: Date): Record<string, unknown> {
  return {
    ...s.features,
    subscription_type: s.subscriptionType,
    tenure_months: s.features.tenure_months ?? tenureMonths(s.activationDate, today),
  };
}

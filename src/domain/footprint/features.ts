/**
 * A person's digital footprint as scorecard attributes (docs/models/friendlyscore.md), from the
 * data records kept about them. Pure: the records and the time come in. An attribute is left out
 * when nothing tells it, and the scorecard's missing bin takes over.
 */
import { parseIsoDate } from '../iso-date.js';
import { isPublicAddress } from '../network.js';
import { GOOGLE_SCOPES, NETWORKS, type Network } from './networks.js';
import { phonesAsOne } from './phones.js';
import {
  cvKind,
  FRAUD_KIND,
  type FraudRecord,
  type Records,
  type SocialRecord,
  socialKind,
  type WorkPeriod,
} from './records.js';
import { parseDevice } from './user-agent.js';
import { periodEnd, periodStart } from './work-period.js';

export interface Footprint {
  attributes: Record<string, number | string>;
  /** False when nothing usable is known: no linked network and nothing gathered. */
  usable: boolean;
}

const DAY_MS = 24 * 3600_000;
const MONTH_MS = 30.4375 * DAY_MS;
const YEAR_MS = 365.25 * 24 * 3600_000;

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : [];

/**
 * The networks linked: those whose connector confirmed a token (it read the network with it and
 * stored what it said) and has not since reported one refused. A token no connector could check
 * (the network failed or was never reached) links nothing: a token alone is not data about the
 * person. The newest answer of each network counts, whichever calculation it came from, so a
 * network confirmed earlier stays linked when a later request leaves its token out
 * (docs/connectors.md).
 */
export function usableNetworks(records: Records): Network[] {
  return NETWORKS.filter((n) => {
    const said = asObject(records.get(socialKind(n)));
    return said !== undefined && said.token_valid !== false;
  });
}

export function footprint(records: Records, now: Date): Footprint {
  const a: Record<string, number | string> = {};
  const networks = usableNetworks(records);
  const tokens = asObject(records.get('access_tokens'));
  if (tokens) {
    a.networks_linked = networks.length;
    a.professional_network = networks.includes('linkedin') ? 'yes' : 'no';
    a.payment_network = networks.includes('paypal') ? 'yes' : 'no';
  }

  const social = NETWORKS.map((n) => asObject(records.get(socialKind(n))) as SocialRecord | undefined).filter(
    (s): s is SocialRecord => s !== undefined && s.token_valid !== false,
  );
  // A date that is no ISO 8601 date, or one more than a day ahead (today east of UTC is not),
  // tells nothing of the account's age.
  const created = social
    .map((s) => accountCreated(s.account_created_at))
    .filter((t): t is number => t !== undefined && t <= now.getTime() + DAY_MS);
  if (created.length > 0)
    a.oldest_account_age_months = Math.max(0, (now.getTime() - Math.min(...created)) / MONTH_MS);
  const connections = social
    .map((s) => s.connections)
    .filter((c): c is number => typeof c === 'number' && c >= 0);
  if (connections.length > 0) a.connections_total = connections.reduce((x, y) => x + y, 0);

  const emailSources = [...social.map((s) => strings(s.emails)), strings(records.get(cvKind('emails')))];
  const email = consistency(emailSources.map((l) => l.map((e) => e.trim().toLowerCase())));
  if (email) a.email_consistent = email;
  const phoneSources = [...social.map((s) => strings(s.phones)), strings(records.get(cvKind('phones')))];
  const countries = social.map((s) => s.country).filter((c): c is string => typeof c === 'string');
  // A phone no country reads is compared as its digits.
  const read = phonesAsOne(phoneSources, countries);
  const phone = consistency(
    phoneSources.map((l, i) => l.map((p, j) => read[i]![j] ?? p.replace(/[^\d+]/g, ''))),
  );
  if (phone) a.phone_consistent = phone;

  const ip = asObject(records.get('ip_address'));
  if (ip && typeof ip.ip === 'string') a.ip_address_public = isPublicAddress(ip.ip) ? 'yes' : 'no';
  const fraud = asObject(records.get(FRAUD_KIND)) as FraudRecord | undefined;
  if (typeof fraud?.risk_score === 'number') a.ip_risk_score = fraud.risk_score;

  const ua = asObject(records.get('user_agent'));
  if (ua) {
    // The OS and browser its raw User-Agent header names, or else those the page claimed.
    const device = parseDevice(ua);
    const os = nonEmpty(device.os) || nonEmpty(ua.os);
    a.device_known = os && (nonEmpty(device.browser) || nonEmpty(ua.browser)) ? 'yes' : 'no';
  }

  const google = asObject(records.get(socialKind('google'))) as SocialRecord | undefined;
  if (google && Array.isArray(google.scopes)) {
    const granted = new Set(strings(google.scopes));
    a.google_scope_coverage = GOOGLE_SCOPES.filter((s) => granted.has(s)).length / GOOGLE_SCOPES.length;
  }

  // A network that answers says whether it verified the person's email or account.
  const verified = social
    .map((s) => s.verified ?? s.email_verified)
    .filter((v): v is boolean => typeof v === 'boolean');
  if (verified.length > 0) a.verified_identity = verified.includes(true) ? 'yes' : 'no';
  const universities = records.get(cvKind('universities'));
  const educations = social.flatMap((s) => strings(s.educations));
  if ((Array.isArray(universities) && universities.length > 0) || educations.length > 0)
    a.education_known = 'yes';
  else if (Array.isArray(universities)) a.education_known = 'no';

  const periods = records.get(cvKind('work-periods'));
  if (Array.isArray(periods) && periods.length > 0)
    a.work_history_years = workYears(periods as WorkPeriod[], now);

  // The fraud assessment reads only what the request submitted: it is not data about the person.
  const gathered = social.length > 0 || [...records.keys()].some((k) => k.startsWith('cv.'));
  return { attributes: a, usable: networks.length > 0 || gathered };
}

/**
 * Whether the sources agree: `yes` when a value appears in two sources or more, `no` when two
 * sources or more give values and none is shared; undefined with fewer than two sources.
 */
function consistency(sources: string[][]): 'yes' | 'no' | undefined {
  const given = sources.filter((s) => s.length > 0).map((s) => new Set(s));
  if (given.length < 2) return undefined;
  const seen = new Set<string>();
  for (const set of given) {
    for (const v of set) if (seen.has(v)) return 'yes';
    for (const v of set) seen.add(v);
  }
  return 'no';
}

/**
 * Total years of work until now, overlapping periods counted once; a period runs through its last
 * month, an open one to now, and none past now (a contract's end still ahead is not history yet).
 */
function workYears(periods: readonly WorkPeriod[], now: Date): number {
  const at = now.getTime();
  const spans = periods
    .map((p) => [periodStart(p.from), Math.min(periodEnd(p.to), at)] as const)
    .filter(([f, t]) => Number.isFinite(f) && Number.isFinite(t) && t > f)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [f, t] of spans) {
    const start = Math.max(f, end);
    if (t > start) total += t - start;
    end = Math.max(end, t);
  }
  return total / YEAR_MS;
}

const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim() !== '';

function accountCreated(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parseIsoDate(value, 'account_created_at');
  } catch {
    return undefined;
  }
}

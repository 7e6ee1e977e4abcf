/**
 * `multiplatform_multi` (V1.0) and `multiplatform_multi_V1_1`: cross-lender indicators from the
 * consortium, the loan applications that the tenants who opted in record against keyed hashes of
 * the national id and the phone number. They are counts only: of platforms (tenants), of apps (a
 * platform's app names), of applications, approvals and overdue loans. Nothing else about another
 * platform's records ever leaves the service.
 *
 * The counts describe the applications recorded before the request: the request's own
 * application is recorded after they are computed.
 */
import type { IndicatorDefinition } from './definition.js';
import { cannotCalculate, type Indicator, indicator, noRecord, WINDOWS, within } from './values.js';

export interface ConsortiumRecord {
  /** Opaque keys: counted, never shown. */
  platform: string;
  app: string;
  idHash: string | null;
  phoneHash: string | null;
  /** Whether the record matched the request's id number, its phone number, or both. */
  byId: boolean;
  byPhone: boolean;
  appliedAt: string;
  /** submitted | approved | declined */
  status: string;
  decidedAt: string | null;
  /** The loan's latest state, when the application became a loan. */
  loanStatus: string | null;
  loanDaysPastDue: number | null;
  loanObservedAt: string | null;
}

export interface MultiplatformInput {
  /** Whether the asking tenant is in the consortium; only then are the indicators computed. */
  member: boolean;
  /** Records of tenants in the consortium whose id hash or phone hash matched the request. */
  records: readonly ConsortiumRecord[];
}

const OVERDUE_LOAN_STATUSES = new Set(['arrears', 'default', 'written_off']);
const loanOverdue = (r: ConsortiumRecord) =>
  r.loanStatus !== null && (OVERDUE_LOAN_STATUSES.has(r.loanStatus) || (r.loanDaysPastDue ?? 0) > 0);

const distinct = (rows: readonly ConsortiumRecord[], key: (r: ConsortiumRecord) => string | null) =>
  new Set(rows.map(key).filter((k) => k !== null)).size;
const platformOf = (r: ConsortiumRecord) => r.platform;
/** Epoch ms of an ISO time; NaN for none, which no window holds. */
const time = (at: string | null) => (at === null ? Number.NaN : Date.parse(at));
const appOf = (r: ConsortiumRecord) => `${r.platform}\u0000${r.app}`;
/**
 * One application: a platform's records for the same app, the same id number and phone number
 * and the same UTC day are one application asked about several times (a lender calling one
 * package after another, or retrying), not several applications.
 */
const applicationOf = (r: ConsortiumRecord) =>
  `${appOf(r)}\u0000${r.idHash}\u0000${r.phoneHash}\u0000${r.appliedAt.slice(0, 10)}`;

const KEYS = [
  { key: 'id', label: 'national id number', matches: (r: ConsortiumRecord) => r.byId },
  { key: 'phone', label: 'phone number', matches: (r: ConsortiumRecord) => r.byPhone },
] as const;

export const MULTIPLATFORM_V1_INDICATORS: readonly IndicatorDefinition[] = KEYS.flatMap(({ key, label }) =>
  WINDOWS.flatMap((d): IndicatorDefinition[] => [
    {
      name: `mp_${key}_platforms_${d}d`,
      type: 'integer',
      range: '0 or more',
      meaning: `Platforms where a loan application with the ${label} was made in the last ${d} days.`,
    },
    {
      name: `mp_${key}_apps_${d}d`,
      type: 'integer',
      range: '0 or more',
      meaning: `Apps through which a loan application with the ${label} was made in the last ${d} days.`,
    },
  ]),
);

export const MULTIPLATFORM_V1_1_INDICATORS: readonly IndicatorDefinition[] = [
  ...WINDOWS.flatMap((d): IndicatorDefinition[] => [
    {
      name: `mp11_applications_${d}d`,
      type: 'integer',
      range: '0 or more',
      meaning: `Loan applications by the person (the id number or the phone number) in the last ${d} days (a platform's repeats for one app on one UTC day count once).`,
    },
    {
      name: `mp11_applied_platforms_${d}d`,
      type: 'integer',
      range: '0 or more',
      meaning: `Platforms the person applied to in the last ${d} days.`,
    },
    {
      name: `mp11_applied_apps_${d}d`,
      type: 'integer',
      range: '0 or more',
      meaning: `Apps the person applied through in the last ${d} days.`,
    },
    {
      name: `mp11_approved_platforms_${d}d`,
      type: 'integer',
      range: '0 or more',
      meaning: `Platforms that approved an application of the person in the last ${d} days.`,
    },
    {
      name: `mp11_approved_apps_${d}d`,
      type: 'integer',
      range: '0 or more',
      meaning: `Apps through which an application of the person was approved in the last ${d} days.`,
    },
    {
      name: `mp11_overdue_platforms_${d}d`,
      type: 'integer',
      range: '0 or more',
      meaning: `Platforms that reported a loan of the person overdue in the last ${d} days (its latest reported state).`,
    },
    {
      name: `mp11_overdue_apps_${d}d`,
      type: 'integer',
      range: '0 or more',
      meaning: `Apps with a loan of the person reported overdue in the last ${d} days (its latest reported state).`,
    },
  ]),
  {
    name: 'mp11_phones_per_id_180d',
    type: 'integer',
    range: '0 or more',
    meaning: 'Different phone numbers that applied with the id number in the last 180 days.',
  },
  {
    name: 'mp11_ids_per_phone_180d',
    type: 'integer',
    range: '0 or more',
    meaning: 'Different id numbers that applied with the phone number in the last 180 days.',
  },
];

/**
 * Multiplatform V1.0: applications by the id number and by the phone number, separately. "No
 * record" (201) is the seed's "no record of mobile phone number and ID number": the person is
 * unknown by both. When either number is known, the other's counts are 0.
 */
export function multiplatformV1Indicators(input: MultiplatformInput, now: Date): Indicator[] {
  const names = MULTIPLATFORM_V1_INDICATORS.map((d) => d.name);
  if (!input.member) return names.map(cannotCalculate);
  if (input.records.length === 0) return names.map(noRecord);
  const t = now.getTime();
  return KEYS.flatMap(({ key, matches }) => {
    const rows = input.records.filter(matches);
    return WINDOWS.flatMap((d) => {
      const applied = rows.filter((r) => within(r.appliedAt, d, t));
      return [
        indicator(`mp_${key}_platforms_${d}d`, distinct(applied, platformOf)),
        indicator(`mp_${key}_apps_${d}d`, distinct(applied, appOf)),
      ];
    });
  });
}

/** Multiplatform V1.1: the person by either number; applications, approvals and overdue loans. */
export function multiplatformV1_1Indicators(input: MultiplatformInput, now: Date): Indicator[] {
  const names = MULTIPLATFORM_V1_1_INDICATORS.map((d) => d.name);
  if (!input.member) return names.map(cannotCalculate);
  const rows = input.records;
  if (rows.length === 0) return names.map(noRecord);
  const t = now.getTime();
  // Each record's times and keys once, rather than once per window and count.
  const facts = rows.map((r) => ({
    applied: time(r.appliedAt),
    approved: r.status === 'approved' ? time(r.decidedAt ?? r.appliedAt) : Number.NaN,
    overdue: loanOverdue(r) ? time(r.loanObservedAt) : Number.NaN,
    platform: platformOf(r),
    app: appOf(r),
    application: applicationOf(r),
  }));
  const values = new Map<string, number>();
  for (const d of WINDOWS) {
    const applications = new Set<string>();
    const appliedPlatforms = new Set<string>();
    const appliedApps = new Set<string>();
    const approvedPlatforms = new Set<string>();
    const approvedApps = new Set<string>();
    const overduePlatforms = new Set<string>();
    const overdueApps = new Set<string>();
    for (const f of facts) {
      if (within(f.applied, d, t)) {
        applications.add(f.application);
        appliedPlatforms.add(f.platform);
        appliedApps.add(f.app);
      }
      if (within(f.approved, d, t)) {
        approvedPlatforms.add(f.platform);
        approvedApps.add(f.app);
      }
      if (within(f.overdue, d, t)) {
        overduePlatforms.add(f.platform);
        overdueApps.add(f.app);
      }
    }
    values.set(`mp11_applications_${d}d`, applications.size);
    values.set(`mp11_applied_platforms_${d}d`, appliedPlatforms.size);
    values.set(`mp11_applied_apps_${d}d`, appliedApps.size);
    values.set(`mp11_approved_platforms_${d}d`, approvedPlatforms.size);
    values.set(`mp11_approved_apps_${d}d`, approvedApps.size);
    values.set(`mp11_overdue_platforms_${d}d`, overduePlatforms.size);
    values.set(`mp11_overdue_apps_${d}d`, overdueApps.size);
  }
  const recent = rows.filter((_, i) => within(facts[i]!.applied, 180, t));
  values.set(
    'mp11_phones_per_id_180d',
    distinct(
      recent.filter((r) => r.byId),
      (r) => r.phoneHash,
    ),
  );
  values.set(
    'mp11_ids_per_phone_180d',
    distinct(
      recent.filter((r) => r.byPhone),
      (r) => r.idHash,
    ),
  );
  return names.map((name) => indicator(name, values.get(name)!));
}

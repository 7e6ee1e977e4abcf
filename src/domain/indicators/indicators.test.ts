import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { creditRatingIndicators, pdBand, type RatedRun } from './credit-rating.js';
import { INDICATOR_DICTIONARY } from './dictionary.js';
import {
  type ConsortiumRecord,
  multiplatformV1_1Indicators,
  multiplatformV1Indicators,
} from './multiplatform.js';
import { offersPackage, PACKAGES, PACKAGES_BY_COUNTRY } from './packages.js';
import { repaymentBehaviourIndicators } from './repayment-behaviour.js';
import type { Indicator } from './values.js';

const NOW = new Date('2025-06-30T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const byName = (list: Indicator[]) => Object.fromEntries(list.map((i) => [i.name, i]));
const values = (list: Indicator[]) => Object.fromEntries(list.map((i) => [i.name, i.value]));

describe('packages', () => {
  it('sells all four packages in MX, IN, TH, CO and PH, and two in VN, NG and PK', () => {
    for (const c of ['MX', 'IN', 'TH', 'CO', 'PH'] as const) expect(PACKAGES_BY_COUNTRY[c]).toEqual(PACKAGES);
    for (const c of ['VN', 'NG', 'PK'] as const) {
      expect(PACKAGES_BY_COUNTRY[c]).toEqual(['behavior_analysis_of_repayment', 'multiplatform_multi_V1_1']);
      expect(offersPackage(c, 'credit_rating_estimation')).toBe(false);
    }
  });
  it('lists every indicator in docs/td.md, with its type and range', () => {
    const doc = fs.readFileSync(path.join(import.meta.dirname, '../../../docs/td.md'), 'utf8');
    for (const [pkg, defs] of Object.entries(INDICATOR_DICTIONARY)) {
      const section = doc.slice(doc.indexOf(`### ${pkg}\n`));
      for (const d of defs)
        expect(section, d.name).toContain(`| \`${d.name}\` | ${d.type} | ${d.range} | ${d.meaning} |`);
    }
  });

  it('documents every indicator once, with a type, a range and a meaning', () => {
    const all = Object.values(INDICATOR_DICTIONARY).flat();
    expect(new Set(all.map((d) => d.name)).size).toBe(all.length);
    for (const d of all) {
      expect(d.name).toMatch(/^[a-z0-9_]+$/);
      expect(d.range.length).toBeGreaterThan(0);
      expect(d.meaning.length).toBeGreaterThan(10);
    }
  });
});

const run = (o: Partial<RatedRun> = {}): RatedRun => ({
  service: 'demographic_score',
  createdAt: daysAgo(3),
  score: 560,
  minScore: 400,
  maxScore: 800,
  pd: 0.04,
  grade: 'C',
  reasons: ['R_INCOME', 'R_AGE'],
  missingAttributes: ['education'],
  ...o,
});

describe('credit_rating_estimation', () => {
  it('rates from the latest run', () => {
    const out = creditRatingIndicators({ subjectFound: true, latest: run(), servicesScored: 2 }, NOW);
    expect(out.map((i) => i.name)).toEqual(INDICATOR_DICTIONARY.credit_rating_estimation.map((d) => d.name));
    expect(out.every((i) => i.status === 200)).toBe(true);
    expect(values(out)).toEqual({
      cre_rating_grade: 'C',
      cre_pd_band: 6,
      cre_pd_bps: 400,
      cre_score: 400,
      cre_score_source: 'demographic_score',
      cre_score_age_days: 3,
      cre_services_scored: 2,
      cre_top_reason_code: 'R_INCOME',
      cre_missing_attributes: 1,
    });
  });
  it('says "no record" (201, -999) for an unknown person and "cannot calculate" (202, -1111) without scores', () => {
    for (const i of creditRatingIndicators(
      { subjectFound: false, latest: undefined, servicesScored: 0 },
      NOW,
    )) {
      expect(i).toMatchObject({ status: 201, value: -999 });
    }
    for (const i of creditRatingIndicators(
      { subjectFound: true, latest: undefined, servicesScored: 0 },
      NOW,
    )) {
      expect(i).toMatchObject({ status: 202, value: -1111 });
    }
  });
  it('cannot give a grade when the model has none, and says NONE when no reason cost points', () => {
    const out = byName(
      creditRatingIndicators(
        { subjectFound: true, latest: run({ grade: null, reasons: [] }), servicesScored: 1 },
        NOW,
      ),
    );
    expect(out.cre_rating_grade).toMatchObject({ status: 202, value: -1111 });
    expect(out.cre_top_reason_code).toMatchObject({ status: 200, value: 'NONE' });
  });
  it('bands PDs', () => {
    expect([0.001, 0.0025, 0.004, 0.019, 0.05, 0.19, 0.2, 0.9].map(pdBand)).toEqual([
      1, 2, 2, 4, 7, 9, 10, 10,
    ]);
  });
});

describe('behavior_analysis_of_repayment', () => {
  const months = [
    { dueDate: '2025-03-05T00:00:00+00:00', status: 'PAID' as const, score: 1 },
    { dueDate: '2025-04-05T00:00:00+00:00', status: 'PAID_LATE' as const, score: 0.7, daysLate: 3 },
    { dueDate: '2025-05-05T00:00:00+00:00', status: 'OVERPAID' as const, score: 1 },
    { dueDate: '2025-06-05T00:00:00+00:00', status: 'OVERDUE' as const, score: 0 },
    { dueDate: '2025-07-05T00:00:00+00:00', status: 'UPCOMING' as const, score: null },
  ];
  const loans = [
    { loanId: 'L1', status: 'current', daysPastDue: 0, observedAt: daysAgo(200) },
    { loanId: 'L1', status: 'paid', daysPastDue: 0, observedAt: daysAgo(100) },
    { loanId: 'L2', status: 'arrears', daysPastDue: 45, observedAt: daysAgo(20) },
    { loanId: null, status: 'default', daysPastDue: 120, observedAt: daysAgo(60) },
  ];

  it('gives the on-time share as a whole percentage, since the seed types values as String/int', () => {
    // PAID, PAID_LATE and OVERDUE judged: one of three on time is 33 %, not 0.33.
    const three = months.filter((m) => m.status !== 'OVERPAID');
    const out = byName(
      repaymentBehaviourIndicators(
        { subjectFound: true, loans, schedule: { scoredAt: '2025-06-20T00:00:00Z', months: three } },
        NOW,
      ),
    );
    expect(out.bar_on_time_pct).toMatchObject({ status: 200, value: 33 });
    for (const d of Object.values(INDICATOR_DICTIONARY).flat())
      expect(['integer', 'string']).toContain(d.type);
  });

  it('reads loan outcomes and the latest repayment schedule', () => {
    const out = repaymentBehaviourIndicators(
      { subjectFound: true, loans, schedule: { scoredAt: '2025-06-20T00:00:00Z', months } },
      NOW,
    );
    expect(out.map((i) => i.name)).toEqual(
      INDICATOR_DICTIONARY.behavior_analysis_of_repayment.map((d) => d.name),
    );
    expect(values(out)).toEqual({
      bar_loans_count: 3,
      bar_paid_off_loans_count: 1,
      bar_active_loans_count: 1,
      bar_overdue_loans_7d: 0,
      bar_overdue_loans_30d: 1,
      bar_overdue_loans_90d: 2,
      bar_overdue_loans_180d: 2,
      bar_on_time_pct: 50,
      bar_late_instalments_7d: 0,
      bar_late_instalments_30d: 1,
      bar_late_instalments_90d: 2,
      bar_late_instalments_180d: 2,
      bar_max_days_past_due: 120,
    });
  });
  it('counts a loan observed overdue "today" east of UTC, dated up to a day ahead, in every window', () => {
    const ahead = new Date(NOW.getTime() + 20 * 3_600_000).toISOString();
    const out = values(
      repaymentBehaviourIndicators(
        {
          subjectFound: true,
          loans: [{ loanId: 'L9', status: 'arrears', daysPastDue: 3, observedAt: ahead }],
        },
        NOW,
      ),
    );
    expect(out).toMatchObject({
      bar_overdue_loans_7d: 1,
      bar_overdue_loans_180d: 1,
      bar_active_loans_count: 1,
    });
  });
  it('counts days an unpaid instalment had been due when the schedule was scored', () => {
    const out = byName(
      repaymentBehaviourIndicators(
        { subjectFound: true, loans: [], schedule: { scoredAt: '2025-06-20T00:00:00Z', months } },
        NOW,
      ),
    );
    expect(out.bar_max_days_past_due!.value).toBe(15);
    expect(out.bar_loans_count).toMatchObject({ status: 202, value: -1111 });
  });
  it('cannot give the most days past due of loans reported without them, and takes it from those that report them', () => {
    // A write-off reported by its status alone is overdue, but not "0 days late".
    const written = { loanId: 'D1', status: 'written_off', daysPastDue: null, observedAt: daysAgo(2) };
    const alone = byName(repaymentBehaviourIndicators({ subjectFound: true, loans: [written] }, NOW));
    expect(alone.bar_max_days_past_due).toMatchObject({ status: 202, value: -1111 });
    expect(alone.bar_overdue_loans_7d).toMatchObject({ status: 200, value: 1 });
    expect(alone.bar_loans_count).toMatchObject({ status: 200, value: 1 });
    const defaulted = { loanId: 'D2', status: 'default', daysPastDue: null, observedAt: daysAgo(1) };
    const withOthers = byName(
      repaymentBehaviourIndicators(
        {
          subjectFound: true,
          loans: [
            written,
            defaulted,
            { loanId: 'D3', status: 'arrears', daysPastDue: 4, observedAt: daysAgo(3) },
          ],
        },
        NOW,
      ),
    );
    expect(withOthers.bar_max_days_past_due).toMatchObject({ status: 200, value: 4 });
    // The judged instalments of a schedule give it too.
    const withSchedule = byName(
      repaymentBehaviourIndicators(
        { subjectFound: true, loans: [written], schedule: { scoredAt: '2025-06-20T00:00:00Z', months } },
        NOW,
      ),
    );
    expect(withSchedule.bar_max_days_past_due).toMatchObject({ status: 200, value: 15 });
  });
  it('is 201 for an unknown person, 202 for a person without repayment data', () => {
    for (const i of repaymentBehaviourIndicators({ subjectFound: false, loans: [] }, NOW))
      expect(i.status).toBe(201);
    for (const i of repaymentBehaviourIndicators({ subjectFound: true, loans: [] }, NOW))
      expect(i.status).toBe(202);
  });
  it('marks the indicators of a source that could not be read as system errors (500), and keeps the others', () => {
    const out = byName(repaymentBehaviourIndicators({ subjectFound: true, loans, schedule: 'error' }, NOW));
    expect(out.bar_loans_count).toMatchObject({ status: 200, value: 3 });
    expect(out.bar_on_time_pct).toMatchObject({ status: 500, value: -1111 });
    expect(out.bar_late_instalments_30d!.status).toBe(500);
    expect(out.bar_max_days_past_due!.status).toBe(500);
  });
});

const rec = (o: Partial<ConsortiumRecord>): ConsortiumRecord => ({
  platform: 'p1',
  app: 'app',
  idHash: 'id-1',
  phoneHash: 'ph-1',
  byId: true,
  byPhone: true,
  appliedAt: daysAgo(1),
  status: 'submitted',
  decidedAt: null,
  loanStatus: null,
  loanDaysPastDue: null,
  loanObservedAt: null,
  ...o,
});

describe('multiplatform', () => {
  const records = [
    rec({ platform: 'p1', app: 'a', appliedAt: daysAgo(2) }),
    rec({ platform: 'p1', app: 'b', appliedAt: daysAgo(20), status: 'approved', decidedAt: daysAgo(19) }),
    rec({
      platform: 'p2',
      app: 'a',
      appliedAt: daysAgo(60),
      status: 'approved',
      decidedAt: daysAgo(59),
      loanStatus: 'arrears',
      loanDaysPastDue: 10,
      loanObservedAt: daysAgo(5),
    }),
    rec({ platform: 'p3', app: 'c', byId: false, idHash: 'id-2', appliedAt: daysAgo(100) }),
    rec({ platform: 'p4', app: 'd', byPhone: false, phoneHash: 'ph-9', appliedAt: daysAgo(400) }),
  ];

  it('V1.0 counts platforms and apps by the id number and by the phone number', () => {
    const out = multiplatformV1Indicators({ member: true, records }, NOW);
    expect(out.map((i) => i.name)).toEqual(INDICATOR_DICTIONARY.multiplatform_multi.map((d) => d.name));
    expect(values(out)).toMatchObject({
      mp_id_platforms_7d: 1,
      mp_id_apps_7d: 1,
      mp_id_platforms_30d: 1,
      mp_id_apps_30d: 2,
      mp_id_platforms_90d: 2,
      mp_id_apps_90d: 3,
      mp_id_platforms_180d: 2,
      mp_phone_platforms_180d: 3,
      mp_phone_apps_180d: 4,
    });
  });
  it('V1.0 counts 0 for a number without records when the other number is known', () => {
    // Seed: 201 is "no record of mobile phone number and ID number", the person unknown by both.
    const out = byName(multiplatformV1Indicators({ member: true, records: [rec({ byPhone: false })] }, NOW));
    expect(out.mp_id_platforms_7d).toMatchObject({ status: 200, value: 1 });
    expect(out.mp_phone_platforms_7d).toMatchObject({ status: 200, value: 0 });
    expect(out.mp_phone_apps_180d).toMatchObject({ status: 200, value: 0 });
  });
  it('V1.1 counts applications, approvals and overdue loans of the person', () => {
    const out = multiplatformV1_1Indicators({ member: true, records }, NOW);
    expect(out.map((i) => i.name)).toEqual(INDICATOR_DICTIONARY.multiplatform_multi_V1_1.map((d) => d.name));
    expect(values(out)).toMatchObject({
      mp11_applications_7d: 1,
      mp11_applications_30d: 2,
      mp11_applications_90d: 3,
      mp11_applications_180d: 4,
      mp11_applied_platforms_180d: 3,
      mp11_applied_apps_180d: 4,
      mp11_approved_platforms_30d: 1,
      mp11_approved_platforms_90d: 2,
      mp11_approved_apps_90d: 2,
      mp11_overdue_platforms_7d: 1,
      mp11_overdue_apps_7d: 1,
      mp11_phones_per_id_180d: 1,
      mp11_ids_per_phone_180d: 2,
    });
  });
  it("V1.1 counts a platform's repeats for one app, the same numbers and one UTC day as one application", () => {
    const today = '2025-06-30';
    const repeats = [
      rec({ platform: 'p1', app: 'a', appliedAt: `${today}T01:00:00.000Z` }),
      rec({ platform: 'p1', app: 'a', appliedAt: `${today}T09:30:00.000Z` }),
      rec({ platform: 'p1', app: 'a', appliedAt: `${today}T11:00:00.000Z` }),
      // Not repeats: another day, another app, another platform, another phone number.
      rec({ platform: 'p1', app: 'a', appliedAt: '2025-06-29T23:59:00.000Z' }),
      rec({ platform: 'p1', app: 'b', appliedAt: `${today}T02:00:00.000Z` }),
      rec({ platform: 'p2', app: 'a', appliedAt: `${today}T03:00:00.000Z` }),
      rec({
        platform: 'p1',
        app: 'a',
        phoneHash: 'ph-2',
        byPhone: false,
        appliedAt: `${today}T04:00:00.000Z`,
      }),
    ];
    expect(values(multiplatformV1_1Indicators({ member: true, records: repeats }, NOW))).toMatchObject({
      mp11_applications_7d: 5,
      mp11_applied_platforms_7d: 2,
      mp11_applied_apps_7d: 3,
    });
  });
  it('counts a record dated up to 5 minutes ahead of the clock as made now, in every window', () => {
    // The consortium takes times up to 5 minutes ahead of the server's clock (another server's).
    const ahead = new Date(NOW.getTime() + 4 * 60_000).toISOString();
    const early = [
      rec({
        platform: 'p1',
        app: 'a',
        appliedAt: ahead,
        status: 'approved',
        decidedAt: ahead,
        loanStatus: 'arrears',
        loanDaysPastDue: 3,
        loanObservedAt: ahead,
      }),
    ];
    const v11 = values(multiplatformV1_1Indicators({ member: true, records: early }, NOW));
    const v1 = values(multiplatformV1Indicators({ member: true, records: early }, NOW));
    for (const d of [7, 30, 90, 180]) {
      expect(v11).toMatchObject({
        [`mp11_applications_${d}d`]: 1,
        [`mp11_applied_platforms_${d}d`]: 1,
        [`mp11_approved_apps_${d}d`]: 1,
        [`mp11_overdue_platforms_${d}d`]: 1,
      });
      expect(v1).toMatchObject({ [`mp_id_platforms_${d}d`]: 1, [`mp_phone_apps_${d}d`]: 1 });
    }
    expect(v11).toMatchObject({ mp11_phones_per_id_180d: 1, mp11_ids_per_phone_180d: 1 });
  });
  it('is "no record" without records and "cannot calculate" for a tenant outside the consortium', () => {
    for (const i of multiplatformV1_1Indicators({ member: true, records: [] }, NOW))
      expect(i.status).toBe(201);
    for (const i of multiplatformV1Indicators({ member: true, records: [] }, NOW)) {
      expect(i).toMatchObject({ status: 201, value: -999 });
    }
    for (const i of multiplatformV1_1Indicators({ member: false, records }, NOW)) expect(i.status).toBe(202);
    for (const i of multiplatformV1Indicators({ member: false, records }, NOW)) expect(i.status).toBe(202);
  });
  it('gives only whole counts', () => {
    for (const i of [
      ...multiplatformV1Indicators({ member: true, records }, NOW),
      ...multiplatformV1_1Indicators({ member: true, records }, NOW),
    ]) {
      expect(Number.isInteger(i.value)).toBe(true);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ManualClock } from '../../../../test/helpers/clock.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import {
  indicatorsOf,
  PEOPLE,
  partnerWith,
  request,
  type TestPartner,
  tdCall,
} from '../../../../test/helpers/td.js';

const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`TD dialect on ${engine}: indicators from incomplete data`, () => {
    let t: TestApp;
    let clock: ManualClock;
    let acme: TestPartner;
    let apiKey: string;

    beforeAll(async () => {
      clock = new ManualClock('2025-06-30T12:00:00Z');
      t = await createTestApp(engine, { clock });
      acme = await partnerWith(t, 'acme', {
        countries: ['CO', 'PH', 'VN'],
        packages: [
          { name: 'credit_rating_estimation' },
          { name: 'behavior_analysis_of_repayment' },
          { name: 'multiplatform_multi' },
          { name: 'multiplatform_multi_V1_1' },
        ],
      });
      apiKey = await t.key('acme');
    });
    afterAll(async () => t?.close());

    const post = (url: string, payload: object) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: url.startsWith('/cladfy') ? { 'x-api-key': apiKey } : { authorization: `Bearer ${apiKey}` },
        payload,
      });

    it('cannot give the most days past due of a loan written off without them', async () => {
      const scored = await post('/cladfy/v1/demographic_score/', {
        client_id: 'c5',
        age: 30,
        id_number: PEOPLE.CO.id_number,
      });
      expect(scored.statusCode).toBe(200);
      const recorded = await post('/api/v1/outcomes', {
        outcomes: [
          {
            partner_id: 'c5',
            loan_id: 'D1',
            status: 'written_off',
            observed_at: new Date(clock.now().getTime() - DAY).toISOString(),
          },
        ],
      });
      expect(recorded.statusCode).toBe(201);
      const ind = indicatorsOf(await tdCall(t, acme, request('CO', 'behavior_analysis_of_repayment')));
      expect(ind).toMatchObject({
        bar_loans_count: { status: 200, value: 1 },
        bar_overdue_loans_7d: { status: 200, value: 1 },
        bar_max_days_past_due: { status: 202, value: -1111 },
      });
    });

    it('keeps rating and analysing repayment from the last schedule that scored, not one that scored nothing', async () => {
      const person = { client_id: 'c7', id_number: PEOPLE.PH.id_number };
      const terms = { expectedPaymentDay: 5, expectedPaymentAmount: 100 };
      const scored = await post('/cladfy/v1/repayment_score/', {
        ...person,
        ...terms,
        // Seven instalments, December to June: January paid 4 days late, May and June unpaid.
        paymentStartDate: '2024-12-01',
        payments: [
          { date: '2024-12-05', amount: 100 },
          { date: '2025-01-09', amount: 100 },
          { date: '2025-02-05', amount: 100 },
          { date: '2025-03-05', amount: 100 },
          { date: '2025-04-05', amount: 100 },
        ],
      });
      expect(scored.statusCode).toBe(200);
      expect(scored.json().scoredMonths).toHaveLength(7);
      const ask = async () => ({
        rating: indicatorsOf(await tdCall(t, acme, request('PH', 'credit_rating_estimation'))),
        repayment: indicatorsOf(await tdCall(t, acme, request('PH', 'behavior_analysis_of_repayment'))),
      });
      const before = await ask();
      expect(before.repayment).toMatchObject({
        bar_on_time_pct: { status: 200, value: 57 },
        bar_late_instalments_180d: { status: 200, value: 3 },
        bar_max_days_past_due: { status: 200, value: 56 },
      });
      expect(before.rating.cre_score_source).toEqual({ status: 200, value: 'repayment_score' });

      clock.advance(DAY);
      const nothing = await post('/cladfy/v1/repayment_score/', {
        ...person,
        ...terms,
        paymentStartDate: '2025-09-01',
        payments: [],
      });
      expect(nothing.statusCode).toBe(200);
      expect(nothing.json().error).toBe('START_DATE_IN_FUTURE');
      const after = await ask();
      expect(after.repayment).toEqual(before.repayment);
      // The same rating, one day older.
      expect(after.rating).toEqual({ ...before.rating, cre_score_age_days: { status: 200, value: 1 } });
      expect(before.rating.cre_score_age_days).toEqual({ status: 200, value: 0 });
    });

    it('counts an application reported a few minutes ahead of the clock in every Multiplatform window', async () => {
      await t.ctx.consortium.join('acme');
      const ahead = new Date(clock.now().getTime() + 4 * 60_000).toISOString();
      const reported = await post('/api/v1/applications', {
        external_id: 'app-early',
        country: 'VN',
        national_id: PEOPLE.VN.id_number,
        phone: PEOPLE.VN.phone_number,
        app_name: 'CashNow',
        applied_at: ahead,
        status: 'approved',
        decided_at: ahead,
        loan: { status: 'arrears', days_past_due: 2, observed_at: ahead },
      });
      expect(reported.statusCode).toBe(201);
      const v11 = indicatorsOf(await tdCall(t, acme, request('VN', 'multiplatform_multi_V1_1')));
      for (const d of [7, 180])
        expect(v11).toMatchObject({
          [`mp11_applications_${d}d`]: { status: 200, value: 1 },
          [`mp11_approved_platforms_${d}d`]: { status: 200, value: 1 },
          [`mp11_overdue_apps_${d}d`]: { status: 200, value: 1 },
        });
    });
  });
}

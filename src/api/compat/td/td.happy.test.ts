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
import { INDICATOR_DICTIONARY } from '../../../domain/indicators/dictionary.js';

const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`TD dialect on ${engine}: happy paths`, () => {
    let t: TestApp;
    let clock: ManualClock;
    let acme: TestPartner;
    let apiKey: string;

    beforeAll(async () => {
      clock = new ManualClock('2025-06-30T12:00:00Z');
      t = await createTestApp(engine, { clock });
      acme = await partnerWith(t, 'acme', {
        countries: ['MX', 'IN', 'NG'],
        packages: [
          { name: 'credit_rating_estimation', price: '0.25' },
          { name: 'behavior_analysis_of_repayment', price: '0.25' },
          { name: 'multiplatform_multi', price: '0.1' },
          { name: 'multiplatform_multi_V1_1', price: '0.1' },
        ],
        balance: '100',
      });
      apiKey = await t.key('acme');
    });
    afterAll(async () => t?.close());

    const cladfy = (path: string, body: object) =>
      t.app.inject({
        method: 'POST',
        url: `/cladfy/v1/${path}/`,
        headers: { 'x-api-key': apiKey },
        payload: body,
      });

    it('answers in the seed shape: code, message, sequence_id and one entry per indicator', async () => {
      const res = await tdCall(
        t,
        acme,
        request('MX', 'credit_rating_estimation', { id_number: 'HEGG560427MVZRRL04' }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json();
      expect(Object.keys(body)).toEqual(['code', 'message', 'sequence_id', 'data']);
      expect(body.code).toBe(200);
      expect(body.message).toBe('Success');
      expect(body.sequence_id).toMatch(/^[0-9a-f]{32}$/);
      expect(body.data.map((d: { indicator_name: string }) => d.indicator_name)).toEqual(
        INDICATOR_DICTIONARY.credit_rating_estimation.map((d) => d.name),
      );
      for (const d of body.data) {
        expect(Object.keys(d)).toEqual(['indicator_name', 'indicator_status', 'indicator_value']);
        // Nobody with that id or phone has been scored: "no record in the library".
        expect(d).toMatchObject({ indicator_status: 201, indicator_value: -999 });
      }
    });

    it('gives every call its own sequence id, recorded with what it was charged', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) {
        ids.add((await tdCall(t, acme, request('IN', 'multiplatform_multi'))).json().sequence_id);
      }
      expect(ids.size).toBe(5);
      for (const id of ids) {
        expect(await t.ctx.partnerCalls.find(id)).toMatchObject({
          code: 200,
          charged: 1000,
          package: 'multiplatform_multi',
        });
      }
    });

    it('rates a person from the scores the tenant holds, found by the national id', async () => {
      const scored = await cladfy('demographic_score', {
        client_id: 'cust-1',
        age: 41,
        marital_status: 'married',
        monthly_net_income: 90000,
        id_number: PEOPLE.MX.id_number,
      });
      expect(scored.statusCode).toBe(200);
      clock.advance(2 * DAY);
      const res = await tdCall(
        t,
        acme,
        request('MX', 'credit_rating_estimation', { phone_number: '5598765432' }),
      );
      const ind = indicatorsOf(res);
      const [run] = (await t.ctx.history.byPartnerId({ tenantId: acme.tenantId } as never, 'cust-1')).slice(
        -1,
      );
      const card = (
        run!.outcome as {
          scorecard: {
            score: number;
            minScore: number;
            maxScore: number;
            pd: number;
            grade: string;
            reasons: string[];
          };
        }
      ).scorecard;
      expect(ind.cre_rating_grade).toEqual({ status: 200, value: card.grade });
      expect(ind.cre_pd_bps).toEqual({ status: 200, value: Math.round(card.pd * 10_000) });
      expect(ind.cre_score).toEqual({
        status: 200,
        value: Math.round((1000 * (card.score - card.minScore)) / (card.maxScore - card.minScore)),
      });
      expect(ind.cre_score_source).toEqual({ status: 200, value: 'demographic_score' });
      expect(ind.cre_score_age_days).toEqual({ status: 200, value: 2 });
      expect(ind.cre_services_scored).toEqual({ status: 200, value: 1 });
      expect(ind.cre_top_reason_code).toEqual({ status: 200, value: card.reasons[0] ?? 'NONE' });
      expect(ind.cre_pd_band!.status).toBe(200);
    });

    it('counts every service that ever scored the person, however many runs the latest has', async () => {
      const idNumber = '345678901238';
      const deposit = await cladfy('deposit_score', {
        client_id: 'cust-many',
        startDate: '2025-01-01',
        endDate: '2025-03-31',
        expectedDepositDay: '5',
        expectedDepositAmount: 100,
        deposits: [{ date: '2025-01-05', amount: 100 }],
      });
      expect(deposit.statusCode).toBe(200);
      clock.advance(1000);
      for (let i = 0; i < 51; i++) {
        const scored = await cladfy('demographic_score', {
          client_id: 'cust-many',
          age: 35,
          id_number: idNumber,
        });
        expect(scored.statusCode).toBe(200);
      }
      const res = await tdCall(
        t,
        acme,
        request('IN', 'credit_rating_estimation', { id_number: idNumber, phone_number: '9123456780' }),
      );
      expect(res.json().code).toBe(200);
      const ind = indicatorsOf(res);
      expect(ind.cre_score_source).toEqual({ status: 200, value: 'demographic_score' });
      expect(ind.cre_services_scored).toEqual({ status: 200, value: 2 });
    });

    it("attaches the request's phone number to the subject it matched", async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/subjects?phone=${encodeURIComponent('+525598765432')}`,
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().partner_id).toBe('cust-1');
      // And a person first known by the phone is found by it and gets the national id.
      await cladfy('demographic_score', { client_id: 'cust-2', age: 30, phone_number: '+919876543210' });
      const ind = indicatorsOf(await tdCall(t, acme, request('IN', 'credit_rating_estimation')));
      expect(ind.cre_score_source).toEqual({ status: 200, value: 'demographic_score' });
      const byId = await t.app.inject({
        method: 'GET',
        url: `/api/v1/subjects?national_id=${PEOPLE.IN.id_number}`,
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(byId.json().partner_id).toBe('cust-2');
    });

    it('analyses repayment from loan outcomes and the latest repayment schedule', async () => {
      const schedule = await cladfy('repayment_score', {
        client_id: 'cust-ng',
        id_number: PEOPLE.NG.id_number,
        paymentStartDate: '2025-03-01',
        expectedPaymentDay: 5,
        expectedPaymentAmount: 100,
        payments: [
          { date: '2025-03-04', amount: 100 },
          { date: '2025-04-08', amount: 100 },
          { date: '2025-05-05', amount: 100 },
        ],
      });
      expect(schedule.statusCode).toBe(200);
      const principal = (await t.ctx.keyAuth.check(apiKey)) as { ok: true; principal: never };
      const now = clock.now().getTime();
      await t.ctx.outcomes.record(
        principal.principal,
        [
          {
            partnerId: 'cust-ng',
            outcome: {
              kind: 'loan',
              loanId: 'L1',
              status: 'paid',
              observedAt: new Date(now - 100 * DAY).toISOString(),
            },
          },
          {
            partnerId: 'cust-ng',
            outcome: {
              kind: 'loan',
              loanId: 'L2',
              status: 'arrears',
              daysPastDue: 12,
              observedAt: new Date(now - 10 * DAY).toISOString(),
            },
          },
        ],
        'api',
      );
      const ind = indicatorsOf(await tdCall(t, acme, request('NG', 'behavior_analysis_of_repayment')));
      expect(ind).toMatchObject({
        bar_loans_count: { status: 200, value: 2 },
        bar_paid_off_loans_count: { status: 200, value: 1 },
        bar_active_loans_count: { status: 200, value: 1 },
        bar_overdue_loans_7d: { status: 200, value: 0 },
        bar_overdue_loans_30d: { status: 200, value: 1 },
        bar_on_time_pct: { status: 200, value: 50 },
        // The June instalment, unpaid, had been due 27 days when the schedule was scored (2 July).
        bar_max_days_past_due: { status: 200, value: 27 },
      });
    });

    it('counts applications across the platforms of the consortium', async () => {
      const other = await partnerWith(t, 'other-lender', {
        countries: ['MX'],
        packages: [{ name: 'multiplatform_multi_V1_1' }, { name: 'multiplatform_multi' }],
      });
      await t.ctx.consortium.join('acme');
      await t.ctx.consortium.join('other-lender');
      const person = request('MX', 'multiplatform_multi_V1_1', {
        id_number: 'BEML920313HCMLNS09',
        phone_number: '5511112222',
      });
      // First call: nothing recorded yet; the call records acme's application afterwards.
      const first = indicatorsOf(await tdCall(t, acme, { ...person, app_name: 'CashNow' }));
      expect(first.mp11_applications_7d).toEqual({ status: 201, value: -999 });
      clock.advance(DAY);
      const second = indicatorsOf(await tdCall(t, other, { ...person, app_name: 'Quick Loan' }));
      expect(second).toMatchObject({
        mp11_applications_7d: { status: 200, value: 1 },
        mp11_applied_platforms_7d: { status: 200, value: 1 },
        mp11_applied_apps_7d: { status: 200, value: 1 },
        mp11_approved_platforms_7d: { status: 200, value: 0 },
      });
      // acme reports through the native API that it approved a loan that is now overdue.
      const reported = await t.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: { authorization: `Bearer ${apiKey}` },
        payload: {
          external_id: 'app-77',
          country: 'MX',
          national_id: 'BEML920313HCMLNS09',
          app_name: 'CashNow Plus',
          status: 'approved',
          loan: { status: 'arrears', days_past_due: 9 },
        },
      });
      expect(reported.statusCode).toBe(201);
      clock.advance(DAY);
      const third = indicatorsOf(await tdCall(t, acme, { ...person, package_name: 'multiplatform_multi' }));
      expect(third).toMatchObject({
        mp_id_platforms_7d: { status: 200, value: 2 },
        mp_id_apps_7d: { status: 200, value: 3 },
        mp_phone_platforms_7d: { status: 200, value: 2 },
        mp_phone_apps_7d: { status: 200, value: 2 },
      });
      const fourth = indicatorsOf(await tdCall(t, other, person));
      expect(fourth).toMatchObject({
        mp11_applications_7d: { status: 200, value: 3 },
        mp11_applied_platforms_7d: { status: 200, value: 2 },
        mp11_approved_platforms_7d: { status: 200, value: 1 },
        mp11_overdue_platforms_7d: { status: 200, value: 1 },
        mp11_overdue_apps_30d: { status: 200, value: 1 },
        mp11_phones_per_id_180d: { status: 200, value: 1 },
      });
      // Without app_name the call records no application.
      const fifth = indicatorsOf(await tdCall(t, other, person));
      expect(fifth.mp11_applications_7d!.value).toBe(3);
    });

    it("counts a lender's calls for one application, whatever their packages, as one application", async () => {
      const beta = await partnerWith(t, 'beta-lender', {
        countries: ['IN'],
        packages: [{ name: 'multiplatform_multi_V1_1' }],
      });
      await t.ctx.consortium.join('acme');
      await t.ctx.consortium.join('beta-lender');
      const person = { id_number: '234123412333', phone_number: '9988776655', app_name: 'CashNow' };
      for (const pkg of [
        'multiplatform_multi_V1_1',
        'credit_rating_estimation',
        'credit_rating_estimation',
      ]) {
        expect((await tdCall(t, acme, request('IN', pkg, person))).json().code).toBe(200);
      }
      const seen = indicatorsOf(await tdCall(t, beta, request('IN', 'multiplatform_multi_V1_1', person)));
      expect(seen.mp11_applications_7d).toEqual({ status: 200, value: 1 });
      // The next day the same person applies again through the same app: a second application.
      clock.advance(DAY);
      await tdCall(t, acme, request('IN', 'credit_rating_estimation', person));
      const later = indicatorsOf(await tdCall(t, beta, request('IN', 'multiplatform_multi_V1_1', person)));
      // beta's own call of the day before is an application of its own.
      expect(later.mp11_applications_7d).toEqual({ status: 200, value: 3 });
      expect(later.mp11_applied_platforms_7d).toEqual({ status: 200, value: 2 });
    });

    it('charges each successful call its price, with a ledger entry', async () => {
      const before = (await t.ctx.partners.get(acme.code)).balance;
      const res = await tdCall(t, acme, request('MX', 'credit_rating_estimation'));
      const after = (await t.ctx.partners.get(acme.code)).balance;
      expect(before - after).toBeCloseTo(0.25, 10);
      const usage = await t.ctx.partners.usage(acme.code, 1);
      expect(usage.ledger[0]).toMatchObject({
        kind: 'charge',
        amount: -0.25,
        balanceAfter: after,
        sequenceId: res.json().sequence_id,
      });
    });

    it('answers a retry with the same Idempotency-Key once, charging once', async () => {
      const body = request('MX', 'credit_rating_estimation');
      const before = (await t.ctx.partners.get(acme.code)).balance;
      const first = await tdCall(t, acme, body, { 'idempotency-key': 'retry-1' });
      const again = await tdCall(t, acme, body, { 'idempotency-key': 'retry-1' });
      expect(again.json()).toEqual(first.json());
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect((await t.ctx.partners.get(acme.code)).balance).toBeCloseTo(before - 0.25, 10);
      // What the retry is matched by is sealed: a plain hash of name, id and phone could be tested
      // against a guess.
      const kept = await t.ctx.database.db
        .selectFrom('partner_calls')
        .select('request_hash')
        .where('sequence_id', '=', first.json().sequence_id)
        .executeTakeFirstOrThrow();
      expect(kept.request_hash).toMatch(/^v1\./);
      // Another key is another call.
      const other = await tdCall(t, acme, body, { 'idempotency-key': 'retry-2' });
      expect(other.json().sequence_id).not.toBe(first.json().sequence_id);
    });

    it('ignores parameters it does not know, names of an object prototype as any other', async () => {
      const full = JSON.stringify(request('MX', 'credit_rating_estimation'));
      const { package_name: _, ...rest } = request('MX', 'credit_rating_estimation');
      const partial = JSON.stringify(rest);
      const withKey = (json: string, key: string, value: string) => `{"${key}": ${value}, ${json.slice(1)}`;
      for (const key of ['extra', '__proto__', '\\u005f_proto__', 'constructor', 'prototype']) {
        const answer = await tdCall(t, acme, withKey(full, key, '{"prototype": {"admin": true}}'));
        expect(answer.json(), key).toMatchObject({ code: 200, message: 'Success' });
        // What it holds is never read as a parameter: a missing one is still missing.
        const held = withKey(partial, key, '{"package_name": "credit_rating_estimation"}');
        expect((await tdCall(t, acme, held)).json(), key).toMatchObject({
          code: 9060,
          message: 'package_name empty',
        });
      }
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('reads the body as JSON whatever the Content-Type, as the vendor expects JSON', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/td/api?partner_code=${acme.code}&partner_key=${acme.key}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: JSON.stringify(request('IN', 'multiplatform_multi')),
      });
      expect(res.json().code).toBe(200);
    });

    it('records a call of a tenant outside the consortium without sharing its application', async () => {
      const solo = await partnerWith(t, 'solo', {
        countries: ['MX'],
        packages: [{ name: 'multiplatform_multi_V1_1' }],
      });
      const body = request('MX', 'multiplatform_multi_V1_1', {
        id_number: 'HEGG560427MVZRRL04',
        phone_number: '5533334444',
        app_name: 'SoloApp',
      });
      const out = indicatorsOf(await tdCall(t, solo, body));
      for (const v of Object.values(out)) expect(v).toEqual({ status: 202, value: -1111 });
      const seen = indicatorsOf(await tdCall(t, acme, { ...body, package_name: 'multiplatform_multi_V1_1' }));
      expect(seen.mp11_applications_180d).toEqual({ status: 201, value: -999 });
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testScorecard } from '../../../../test/fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ManualClock } from '../../../../test/helpers/clock.js';
import { ENGINES } from '../../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`Cladfy dialect on ${engine}: what works`, () => {
    let t: TestApp;
    let key: string;
    let starterKey: string;
    const clock = new ManualClock('2024-07-01T09:25:53.000Z');

    const post = (path: string, body: unknown, apiKey = key) =>
      t.app.inject({
        method: 'POST',
        url: `/cladfy/v1/${path}`,
        headers: { 'x-api-key': apiKey },
        payload: body as object,
      });
    const history = (clientId: string, service: string, apiKey = key) =>
      t.app.inject({
        method: 'GET',
        url: `/cladfy/v1/client_data/?client_id=${encodeURIComponent(clientId)}&service=${service}`,
        headers: { 'x-api-key': apiKey },
      });

    beforeAll(async () => {
      t = await createTestApp(engine, { clock });
      const acme = await t.tenantWithKey('acme');
      key = acme.key;
      // acme scores demographics with a scorecard whose points are known.
      const { model } = await t.ctx.models.add(acme.tenantId, testScorecard(), { source: 'upload' });
      await t.ctx.models.activate(acme.tenantId, model.id);
      starterKey = (await t.tenantWithKey('starter-user')).key;
    });
    afterAll(async () => t?.close());

    it('scores demographics with the tenant scorecard and answers in Cladfy shape', async () => {
      const res = await post('demographic_score/', {
        client_id: '12345',
        age: 30,
        location: 'city',
        customer_tier: 'tier_2',
        marital_status: 'married',
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({
        client_id: '12345',
        score: 500 + 30 + 25 + 12,
        max_score: 595,
        missing_attributes: ['debt', 'monthly_net_income'],
        extra_attributes: ['location', 'customer_tier'],
      });
      expect(res.headers['x-request-id']).toMatch(/^req_/);
    });

    it('reads a body that starts with a byte-order mark, and gives it back in client_data', async () => {
      const body = { client_id: 'bom-1', age: 30 };
      const res = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        payload: `\uFEFF${JSON.stringify(body)}`,
      });
      expect(res.statusCode).toBe(200);
      const back = await history('bom-1', 'demographic_score');
      expect(back.statusCode).toBe(200);
      expect(back.json()[0].client_data).toEqual(body);
      // A run kept with the mark, as runs were before it was stripped, reads back too.
      const acme = await t.ctx.tenants.get('acme');
      const kept = { client_id: 'bom-2', age: 40 };
      await t.ctx.scoring.scoreAttributes(
        {
          tenantId: acme.id,
          clientId: 'cli_test',
          credentialId: 'key_test',
          credentialType: 'api_key',
          scopes: ['*'],
        },
        'demographic_score',
        kept,
        { partnerId: 'bom-2', dialect: 'cladfy', rawInput: kept, rawText: `\uFEFF${JSON.stringify(kept)}` },
      );
      const old = await history('bom-2', 'demographic_score');
      expect(old.statusCode).toBe(200);
      expect(old.json()[0].client_data).toEqual(kept);
    });

    it('gives back in client_data every attribute name as sent, line breaks included', async () => {
      const body = { client_id: 'keys-1', age: 30, 'a\nb': 2, 'c\u2028d': 3 };
      expect((await post('demographic_score/', body)).statusCode).toBe(200);
      expect((await history('keys-1', 'demographic_score')).json()[0].client_data).toEqual(body);
    });

    it('scores with the starter model when the tenant has none of its own', async () => {
      const starter = await t.ctx.models.activeModel(
        (await t.ctx.tenants.get('starter-user')).id,
        'demographic_score',
      );
      expect(starter).not.toBeNull();
      const res = await post('demographic_score/', { client_id: 'c1', favourite_colour: 'blue' }, starterKey);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.missing_attributes).toEqual(starter!.scorecard.attributes);
      expect(body.extra_attributes).toEqual(['favourite_colour']);
      expect(body.max_score).toBe(starter!.scorecard.maxScore);
      expect(Number.isInteger(body.score)).toBe(true);
    });

    it('accepts the path without its trailing slash and a body sent as form-encoded by curl -d', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score',
        headers: { 'x-api-key': key, 'content-type': 'application/x-www-form-urlencoded' },
        payload: JSON.stringify({ client_id: 'curl-user', age: '41' }),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().score).toBe(500 + 40 + 15 + 12);
    });

    it('scores a deposit schedule', async () => {
      const res = await post('deposit_score/', {
        client_id: 'saver-1',
        startDate: '2024-01-01',
        endDate: '2024-04-30',
        expectedDepositDay: '5',
        expectedDepositAmount: 1000,
        deposits: [
          { date: '2024-01-04', amount: 1000 },
          { date: '2024-02-05', amount: 1000 },
          { date: '2024-03-07', amount: 1000 },
          { date: '2024-04-02', amount: 400 },
        ],
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        client_id: 'saver-1',
        overallScore: 0.81,
        monthlyScores: { '2024-01': 1, '2024-02': 1, '2024-03': 0.8, '2024-04': 0.43 },
        onTimeStreak: 2,
        lateStreak: 2,
        scoredMonths: [
          { month: '2024-01', status: 'PAID', score: 1, dueDate: '2024-01-05T00:00:00+00:00', balance: 0 },
          { month: '2024-02', status: 'PAID', score: 1, dueDate: '2024-02-05T00:00:00+00:00', balance: 0 },
          {
            month: '2024-03',
            status: 'PAID_LATE',
            score: 0.8,
            dueDate: '2024-03-05T00:00:00+00:00',
            balance: -1000,
          },
          {
            month: '2024-04',
            status: 'PAID_PARTIALLY',
            score: 0.43,
            dueDate: '2024-04-05T00:00:00+00:00',
            balance: -600,
          },
        ],
        expectedDepositAmount: 1000,
        balance: -600,
      });
    });

    it('reads a zero-padded deposit day, and decimal deposits that add up to the amount as paid', async () => {
      const res = await post('deposit_score/', {
        client_id: 'saver-2',
        startDate: '2024-01-01',
        endDate: '2024-02-28',
        expectedDepositDay: '05',
        expectedDepositAmount: 1500.7,
        deposits: [
          { date: '2024-01-02', amount: 1000 },
          { date: '2024-01-03', amount: 500.7 },
          { date: '2024-02-01', amount: 1000.35 },
          { date: '2024-02-04', amount: 500.35 },
        ],
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(
        body.scoredMonths.map((m: { status: string; balance: number }) => [m.status, m.balance]),
      ).toEqual([
        ['PAID', 0],
        ['PAID', 0],
      ]);
      expect(body.overallScore).toBe(1);
    });

    it('scores a repayment schedule in the Payment Score API shape, up to today by default', async () => {
      const res = await post('repayment_score/', {
        client_id: 'borrower-1',
        paymentStartDate: '2024-04-01',
        expectedPaymentDay: 1,
        expectedPaymentAmount: 500,
        payments: [
          { date: '2024-04-01T08:00:00Z', amount: 500 },
          { date: '2024-05-01T08:00:00Z', amount: 500 },
          { date: '2024-06-01T08:00:00Z', amount: 500 },
        ],
        reference: 'loan-77',
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        client_id: 'borrower-1',
        overallScore: 1,
        paidStreak: 3,
        overDueStreak: 0,
        expectedPaymentAmount: 500,
      });
      // The clock says 1 July, 09:25: July's instalment is due today and not yet judged.
      expect(body.scoredMonths.map((m: { status: string }) => m.status)).toEqual([
        'PAID',
        'PAID',
        'PAID',
        'PENDING',
      ]);
      expect(body.scoredMonths[3].score).toBeNull();
      expect(body.error).toBeUndefined();
    });

    it('reads null for an optional field as not given, as Python clients of the Payment Score API send it', async () => {
      const schedule = {
        expectedPaymentDay: 1,
        expectedPaymentAmount: 500,
        payments: [{ date: '2024-06-01T08:00:00Z', amount: 500 }],
      };
      const repayment = await post('repayment_score/', {
        client_id: 'borrower-null',
        paymentStartDate: '2024-06-01',
        paymentEndDate: null,
        reference: null,
        scoreBeforeStartDate: null,
        ...schedule,
      });
      expect(repayment.statusCode).toBe(200);
      // Up to today, as without paymentEndDate: June paid, July due today.
      expect(repayment.json().scoredMonths.map((m: { status: string }) => m.status)).toEqual([
        'PAID',
        'PENDING',
      ]);
      const deposit = await post('deposit_score/', {
        client_id: 'borrower-null',
        startDate: '2024-06-01',
        endDate: null,
        expectedDepositDay: '1',
        expectedDepositAmount: 500,
        deposits: schedule.payments,
      });
      expect(deposit.statusCode).toBe(200);
      expect(deposit.json().monthlyScores).toEqual({ '2024-06': 1, '2024-07': null });
      // Kept as sent.
      expect((await history('borrower-null', 'repayment_score')).json()[0].client_data).toMatchObject({
        paymentEndDate: null,
        reference: null,
      });
    });

    it('reports the schedule errors of the Payment Score API', async () => {
      const future = await post('repayment_score/', {
        client_id: 'b2',
        paymentStartDate: '2030-01-01',
        expectedPaymentDay: 1,
        expectedPaymentAmount: 500,
        payments: [],
      });
      expect(future.statusCode).toBe(200);
      expect(future.json()).toMatchObject({
        overallScore: 0,
        scoredMonths: [],
        error: 'START_DATE_IN_FUTURE',
      });
    });

    it('returns every earlier request of a client for a service, oldest first, in the seed shape', async () => {
      const bodies = [
        { client_id: 'hist-1', location: 'city' },
        { client_id: 'hist-1', customer_tier: 'tier_2' },
        { client_id: 'hist-1', age: '30' },
      ];
      const results: Record<string, unknown>[] = [];
      for (const b of bodies) {
        clock.advance(61_000);
        const r = await post('demographic_score/', b);
        expect(r.statusCode).toBe(200);
        results.push(r.json());
      }
      await post('deposit_score/', {
        client_id: 'hist-1',
        startDate: '2024-01-01',
        endDate: '2024-02-28',
        expectedDepositDay: 5,
        expectedDepositAmount: 10,
        deposits: [],
      });
      const res = await history('hist-1', 'demographic_score');
      expect(res.statusCode).toBe(200);
      const entries = res.json();
      expect(entries).toHaveLength(3);
      entries.forEach((e: Record<string, unknown>, i: number) => {
        const { client_id, ...result } = results[i]!;
        expect(e).toEqual({
          client_data: bodies[i],
          results: { client_id, demographic_score: result },
          service: 'demographic_score',
          date_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
        });
      });
      expect(entries.map((e: { date_time: string }) => e.date_time)).toEqual([
        '2024-07-01 09:26:54',
        '2024-07-01 09:27:55',
        '2024-07-01 09:28:56',
      ]);
      const deposits = (await history('hist-1', 'deposit_score')).json();
      expect(deposits).toHaveLength(1);
      expect(deposits[0].results.deposit_score.expectedDepositAmount).toBe(10);
    });

    it('returns an empty list for a client it has never scored', async () => {
      const res = await history('nobody', 'repayment_score');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual([]);
    });

    it('keeps the run before answering: the history has it as soon as the response arrives', async () => {
      const runs = await Promise.all(
        Array.from({ length: 40 }, (_, i) => post('demographic_score/', { client_id: 'burst', age: 20 + i })),
      );
      expect(runs.every((r) => r.statusCode === 200)).toBe(true);
      const entries = (await history('burst', 'demographic_score')).json();
      expect(entries).toHaveLength(40);
      expect(new Set(entries.map((e: { client_data: { age: number } }) => e.client_data.age)).size).toBe(40);
    });

    it('stores the input encrypted, not as plain text', async () => {
      await post('demographic_score/', {
        client_id: 'enc-1',
        email: 'jane@example.com',
        phone: '+254712345678',
      });
      const rows = await t.ctx.database.db.selectFrom('score_runs').select(['input']).execute();
      for (const r of rows) {
        expect(r.input).toMatch(/^v1\./);
        expect(r.input).not.toContain('jane@example.com');
      }
      const entries = (await history('enc-1', 'demographic_score')).json();
      expect(entries[0].client_data.email).toBe('jane@example.com');
    });

    it('describes every Cladfy route in the OpenAPI 3.1 document at /docs', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/docs' });
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toBe('3.1.0');
      for (const p of ['demographic_score', 'deposit_score', 'repayment_score']) {
        expect(doc.paths[`/cladfy/v1/${p}/`].post.requestBody).toBeDefined();
      }
      expect(
        doc.paths['/cladfy/v1/client_data/'].get.parameters.map((x: { name: string }) => x.name),
      ).toEqual(['client_id', 'service']);
      expect(doc.paths['/api/v1/models'].get).toBeDefined();
    });

    it('answers health and readiness checks', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ok' });
    });
  });
}

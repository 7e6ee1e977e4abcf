import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`POST /api/v1/outcomes on ${engine}: what works`, () => {
    let t: TestApp;
    let key: string;
    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/outcomes',
        headers: { authorization: `Bearer ${key}`, ...headers },
        payload: payload as object,
      });
    /** The outcomes stored for the subject of `partnerId`, as the service reads them. */
    const outcomesOf = async (partnerId: string) => {
      const subject = (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/subjects?partner_id=${partnerId}`,
          headers: { authorization: `Bearer ${key}` },
        })
      ).json();
      const tenantId = (await t.ctx.tenants.get('acme')).id;
      const principal = { tenantId, clientId: 'c', credentialId: 'k', credentialType: 'server', scopes: [] };
      return t.ctx.outcomes.ofSubject(principal, subject.id);
    };

    beforeAll(async () => {
      t = await createTestApp(engine);
      ({ key } = await t.tenantWithKey('acme'));
    });
    afterAll(async () => t?.close());

    it('records loan outcomes for scored and unscored subjects, and a re-sent record once', async () => {
      const scored = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': key },
        payload: { client_id: 'p-1', age: 30 },
      });
      expect(scored.statusCode).toBe(200);
      const body = {
        outcomes: [
          {
            partner_id: 'p-1',
            loan_id: 'L-1',
            status: 'default',
            days_past_due: 120,
            observed_at: '2024-09-30',
            amount: 5000,
            amount_overdue: 5000,
            currency: 'KES',
            external_id: 'L-1-2024-09',
          },
          { partner_id: 'p-2', kind: 'loan', status: 'paid', observed_at: '2024-09-30T10:00:00Z' },
          { partner_id: 'p-3', kind: 'feedback', status: 'negative', observed_at: '2024-10-01' },
        ],
      };
      const res = await post(body);
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ stored: 3, duplicates: 0 });

      const again = await post({ outcomes: [body.outcomes[0]] });
      expect(again.json()).toEqual({ stored: 0, duplicates: 1 });

      const stored = await outcomesOf('p-1');
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        kind: 'loan',
        status: 'default',
        daysPastDue: 120,
        loanId: 'L-1',
        observedAt: '2024-09-30T00:00:00.000Z',
        source: 'api',
        externalId: 'L-1-2024-09',
      });
    });

    it('keeps amounts as sent, to the precision of a double', async () => {
      const amounts = { amount: 123_456_789.12, amount_overdue: 12_345_678_901.234568, paid_capital: 0.1 };
      const res = await post({
        outcomes: [{ partner_id: 'p-amounts', status: 'current', observed_at: '2024-10-01', ...amounts }],
      });
      expect(res.statusCode).toBe(201);
      const [stored] = await outcomesOf('p-amounts');
      expect(stored).toMatchObject({
        amount: amounts.amount,
        amountOverdue: amounts.amount_overdue,
        paidCapital: amounts.paid_capital,
      });
    });

    it('replays the answer for the same Idempotency-Key', async () => {
      const body = { outcomes: [{ partner_id: 'p-9', status: 'current', observed_at: '2024-11-01' }] };
      const first = await post(body, { 'idempotency-key': 'outcomes-1' });
      const second = await post(body, { 'idempotency-key': 'outcomes-1' });
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.json()).toEqual(first.json());
    });
  });
}

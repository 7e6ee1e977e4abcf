import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`POST /api/v1/outcomes on ${engine}: bad input`, () => {
    let t: TestApp;
    let key: string;
    const post = (payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/outcomes',
        headers: { authorization: `Bearer ${key}` },
        payload: payload as object,
      });
    const problem = async (payload: unknown) => {
      const res = await post(payload);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      return res.json() as { code: string; field: string; detail: string };
    };
    const count = async () =>
      Number(
        (
          await t.ctx.database.db
            .selectFrom('outcomes')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      t = await createTestApp(engine);
      ({ key } = await t.tenantWithKey('acme'));
    });
    afterAll(async () => t?.close());

    it('names the record and field at fault, and stores none of the batch', async () => {
      const p = await problem({
        outcomes: [
          { partner_id: 'p-1', status: 'paid', observed_at: '2024-09-30' },
          { partner_id: 'p-2', status: 'bankrupt', observed_at: '2024-09-30' },
        ],
      });
      expect(p).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'outcomes[1].status' });
      expect(p.detail).toBe(
        'outcomes[1]: status of a loan outcome must be one of: current, paid, arrears, default, written_off',
      );
      expect(await count()).toBe(0);
    });

    it('refuses wrong types, unknown fields, bad dates and an empty list', async () => {
      const one = (o: Record<string, unknown>) => ({
        outcomes: [{ partner_id: 'p-1', status: 'paid', observed_at: '2024-09-30', ...o }],
      });
      expect((await problem(one({ days_past_due: '30' }))).field).toBe('outcomes[0].days_past_due');
      expect((await problem(one({ days_past_due: -1 }))).field).toBe('outcomes[0].days_past_due');
      expect((await problem(one({ colour: 'red' }))).field).toBe('outcomes[0].colour');
      expect((await problem(one({ observed_at: 'yesterday' }))).field).toBe('outcomes[0].observed_at');
      // Text Date.parse would read (as 2001-12-01, or 1 March) is not an ISO 8601 calendar date.
      for (const observed_at of ['12', 'September 30, 2024', '2024-02-30', '30 Sep 2024 junk'])
        expect((await problem(one({ observed_at }))).field, observed_at).toBe('outcomes[0].observed_at');
      expect((await problem(one({ kind: 'lease' }))).field).toBe('outcomes[0].kind');
      expect((await problem(one({ currency: 'shillings' }))).field).toBe('outcomes[0].currency');
      expect((await problem(one({ currency: 'ZZZ' }))).field).toBe('outcomes[0].currency');
      expect((await problem(one({ amount: 1e13 }))).field).toBe('outcomes[0].amount');
      expect((await problem(one({ term_days: 1e9 }))).field).toBe('outcomes[0].term_days');
      expect((await problem({ outcomes: [] })).field).toBe('outcomes');
      expect((await problem({})).field).toBe('outcomes');
      expect(await count()).toBe(0);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`POST /api/v1/applications on ${engine}: errors`, () => {
    let t: TestApp;
    let key: string;
    const post = (payload: object) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: { authorization: `Bearer ${key}` },
        payload,
      });

    beforeAll(async () => {
      t = await createTestApp(engine);
      key = (await t.tenantWithKey('acme')).key;
      await t.ctx.consortium.join('acme');
    });
    afterAll(async () => t?.close());

    it.each([
      [{ national_id: 'BOXW310820HNERXN09', app_name: 'a' }, 'country', 'country is required'],
      [{ country: 'MEX', national_id: 'BOXW310820HNERXN09', app_name: 'a' }, 'country', 'ISO 3166-1'],
      [{ country: 'MX', app_name: 'a' }, 'national_id', 'give national_id, phone or both'],
      [
        { country: 'MX', national_id: 'BOXW310820HNERXN08', app_name: 'a' },
        'national_id',
        'not a valid CURP',
      ],
      [{ country: 'MX', phone: '123', app_name: 'a' }, 'phone', 'phone must be a valid number'],
      [{ country: 'MX', phone: '5512345678' }, 'app_name', 'app_name is required'],
      [{ country: 'MX', phone: '5512345678', app_name: 'a', status: 'funded' }, 'status', 'must be one of'],
      [
        { country: 'MX', phone: '5512345678', app_name: 'a', loan: { status: 'paid' } },
        'loan',
        'only an approved application',
      ],
      [
        { country: 'MX', phone: '5512345678', app_name: 'a', status: 'approved', loan: { status: 'late' } },
        'loan.status',
        'must be one of',
      ],
      [
        {
          country: 'MX',
          phone: '5512345678',
          app_name: 'a',
          status: 'approved',
          loan: { status: 'arrears', days_past_due: -1 },
        },
        'loan.days_past_due',
        '',
      ],
      [
        { country: 'MX', phone: '5512345678', app_name: 'a', applied_at: 'yesterday' },
        'applied_at',
        'ISO 8601',
      ],
      [
        { country: 'MX', phone: '5512345678', app_name: 'a', decided_at: '2025-01-01' },
        'decided_at',
        'approved or declined',
      ],
      [
        { country: 'US', phone: '+12025550123', app_name: 'a' },
        'country',
        'one the credit-indicator API serves: MX, IN, TH, CO, PH, VN, NG, PK',
      ],
      [
        { country: 'MX', phone: '5512345678', app_name: 'a', applied_at: '2999-01-01' },
        'applied_at',
        'applied_at must not be in the future',
      ],
      [
        { country: 'MX', phone: '5512345678', app_name: 'a', status: 'declined', decided_at: '2999-01-01' },
        'decided_at',
        'must not be in the future',
      ],
      [
        {
          country: 'MX',
          phone: '5512345678',
          app_name: 'a',
          status: 'approved',
          loan: { status: 'current', observed_at: '2999-01-01T00:00:00Z' },
        },
        'loan.observed_at',
        'must not be in the future',
      ],
      [{ country: 'MX', phone: '5512345678', app_name: 'a', partner: 'x' }, 'partner', 'is not allowed'],
      [
        { country: 'MX', phone: '5512345678', app_name: 'a', sequence_id: 'ABC' },
        'sequence_id',
        '32 hex digits',
      ],
    ])('refuses %j (%s)', async (body, field, message) => {
      const res = await post(body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field });
      expect(res.json().detail).toContain(message);
      expect(await t.ctx.database.db.selectFrom('consortium_applications').select('id').execute()).toEqual(
        [],
      );
    });

    it("takes a time a minute ahead of the server's clock, as a reporter's clock may run fast", async () => {
      const soon = new Date(Date.now() + 60_000).toISOString();
      const res = await post({ country: 'MX', phone: '5512345678', app_name: 'a', applied_at: soon });
      expect(res.statusCode).toBe(201);
      expect(res.json().applied_at).toBe(soon);
      await t.ctx.database.db.deleteFrom('consortium_applications').execute();
    });

    it('answers 404 for a sequence id that recorded no application of the tenant', async () => {
      const res = await post({
        sequence_id: 'a'.repeat(32),
        country: 'MX',
        phone: '5512345678',
        app_name: 'a',
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('CREDENCE_NOT_FOUND');
      expect(await t.ctx.database.db.selectFrom('consortium_applications').select('id').execute()).toEqual(
        [],
      );
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { partnerWith, request, tdCall } from '../../../test/helpers/td.js';

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

    /** A TD call of the tenant that records an application: its sequence id. */
    const tdApplication = async () => {
      const partner = await partnerWith(t, 'acme', {
        countries: ['MX'],
        packages: [{ name: 'multiplatform_multi_V1_1' }],
      });
      const call = await tdCall(t, partner, {
        ...request('MX', 'multiplatform_multi_V1_1'),
        app_name: 'CashNow',
      });
      return call.json().sequence_id as string;
    };

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
      // The message names the rule the id breaks: this one's check digit is right.
      [
        { country: 'IN', national_id: '123412341234', app_name: 'a' },
        'national_id',
        'not a valid Aadhaar (12 digits, not starting with 0 or 1, the last a Verhoeff check digit)',
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
      [
        {
          country: 'MX',
          phone: '5512345678',
          app_name: 'a',
          status: 'approved',
          applied_at: '2025-01-02T00:00:00Z',
          decided_at: '2025-01-01T23:59:59Z',
        },
        'decided_at',
        'decided_at must not be earlier than applied_at (2025-01-02T00:00:00.000Z)',
      ],
      [{ country: 'MX', phone: '5512345678', app_name: 'a', partner: 'x' }, 'partner', 'is not allowed'],
      [
        { country: 'MX', phone: '5512345678', app_name: 'a', sequence_id: 'ABC' },
        'sequence_id',
        '32 hex digits',
      ],
      // An app name is a name: control characters are refused, as the credit-indicator call refuses
      // them. (A NUL, which no database text keeps, is refused as the JSON body is read.)
      [
        { country: 'MX', phone: '5512345678', app_name: 'Cash\u0007Now' },
        'app_name',
        'none of them a control character',
      ],
      [
        { country: 'MX', phone: '5512345678', app_name: 'Cash\tNow' },
        'app_name',
        'none of them a control character',
      ],
      [
        { country: 'MX', phone: '5512345678', app_name: 'a', external_id: 'app\u001b1' },
        'external_id',
        'external_id must be 1-128 characters, none of them a control character',
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

    it('refuses a decision dated before the application recorded earlier', async () => {
      const body = { external_id: 'early', country: 'MX', phone: '5512345678', app_name: 'a' };
      await post({ ...body, applied_at: '2025-01-02T00:00:00Z' });
      const res = await post({ ...body, status: 'declined', decided_at: '2025-01-01T00:00:00Z' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'decided_at' });
      const rows = await t.ctx.database.db
        .selectFrom('consortium_applications')
        .select(['status', 'decided_at'])
        .execute();
      expect(rows).toEqual([{ status: 'submitted', decided_at: null }]);
      await t.ctx.database.db.deleteFrom('consortium_applications').execute();
    });

    it("answers 409 for a sequence id's report with the external id of another application", async () => {
      const sequenceId = await tdApplication();
      const other = await post({ external_id: 'taken', country: 'MX', phone: '5512345678', app_name: 'a' });
      expect(other.statusCode).toBe(201);
      const rows = () =>
        t.ctx.database.db.selectFrom('consortium_applications').selectAll().orderBy('id').execute();
      const before = await rows();
      const res = await post({
        sequence_id: sequenceId,
        external_id: 'taken',
        country: 'MX',
        phone: '5512345678',
        app_name: 'CashNow',
        status: 'approved',
      });
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'CREDENCE_CONFLICT', field: 'external_id' });
      expect(res.json().detail).toContain('external_id taken already names another application');
      expect(await rows()).toEqual(before);
      await t.ctx.database.db.deleteFrom('consortium_applications').execute();
    });

    it("allows a reporter's clock 5 minutes behind the time a TD call recorded its application", async () => {
      const sequenceId = await tdApplication();
      const report = (minutesBefore: number) =>
        post({
          sequence_id: sequenceId,
          country: 'MX',
          phone: '5512345678',
          app_name: 'CashNow',
          status: 'declined',
          decided_at: new Date(Date.now() - minutesBefore * 60_000).toISOString(),
        });
      const late = await report(10);
      expect(late.statusCode).toBe(400);
      expect(late.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'decided_at' });
      expect((await report(1)).statusCode).toBe(200);
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

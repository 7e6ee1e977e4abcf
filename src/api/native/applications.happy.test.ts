import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ManualClock } from '../../../test/helpers/clock.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { partnerWith, request, tdCall } from '../../../test/helpers/td.js';

for (const engine of ENGINES) {
  describe(`POST /api/v1/applications on ${engine}: happy paths`, () => {
    let t: TestApp;
    let key: string;
    const clock = new ManualClock('2025-06-30T12:00:00Z');
    const post = (payload: object, k = key) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: { authorization: `Bearer ${k}` },
        payload,
      });

    beforeAll(async () => {
      t = await createTestApp(engine, { clock });
      key = (await t.tenantWithKey('acme')).key;
      await t.ctx.consortium.join('acme');
    });
    afterAll(async () => t?.close());

    it('records an application by national id and phone, normalising the app name', async () => {
      const res = await post({
        country: 'in',
        national_id: '2341 2341 2346',
        phone: '9876543210',
        app_name: '  Cash   Now ',
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({
        id: expect.stringMatching(/^cap_/),
        external_id: null,
        sequence_id: null,
        app_name: 'cash now',
        status: 'submitted',
        applied_at: '2025-06-30T12:00:00.000Z',
        decided_at: null,
        loan: null,
        created: true,
      });
      const row = await t.ctx.database.db
        .selectFrom('consortium_applications')
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(row.id_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(row.phone_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(row.source).toBe('api');
    });

    it('takes a phone in E.164 or national form to the same hash', async () => {
      await post({ external_id: 'e164', country: 'NG', phone: '+2348031234567', app_name: 'a' });
      await post({ external_id: 'national', country: 'NG', phone: '08031234567', app_name: 'a' });
      const rows = await t.ctx.database.db
        .selectFrom('consortium_applications')
        .select('phone_hash')
        .where('external_id', 'in', ['e164', 'national'])
        .execute();
      expect(rows).toHaveLength(2);
      expect(rows[0]!.phone_hash).toBe(rows[1]!.phone_hash);
    });

    it('updates an application reported again under its external id, keeping its dates', async () => {
      const first = await post({
        external_id: 'app-1',
        country: 'MX',
        national_id: 'BOXW310820HNERXN09',
        app_name: 'CashNow',
        applied_at: '2025-06-01T08:00:00Z',
      });
      expect(first.statusCode).toBe(201);
      clock.advance(3_600_000);
      const approved = await post({
        external_id: 'app-1',
        country: 'MX',
        national_id: 'BOXW310820HNERXN09',
        app_name: 'CashNow',
        status: 'approved',
      });
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({
        id: first.json().id,
        status: 'approved',
        applied_at: '2025-06-01T08:00:00.000Z',
        decided_at: '2025-06-30T13:00:00.000Z',
        created: false,
      });
      clock.advance(3_600_000);
      const overdue = await post({
        external_id: 'app-1',
        country: 'MX',
        national_id: 'BOXW310820HNERXN09',
        app_name: 'CashNow',
        status: 'approved',
        loan: { status: 'arrears', days_past_due: 15 },
      });
      expect(overdue.json()).toMatchObject({
        decided_at: '2025-06-30T13:00:00.000Z',
        loan: { status: 'arrears', days_past_due: 15, observed_at: '2025-06-30T14:00:00.000Z' },
      });
      // A default reported without its days past due does not become 0 days late.
      const defaulted = await post({
        external_id: 'app-1',
        country: 'MX',
        national_id: 'BOXW310820HNERXN09',
        app_name: 'CashNow',
        status: 'approved',
        loan: { status: 'default' },
      });
      expect(defaulted.json().loan).toMatchObject({ status: 'default', days_past_due: null });
    });

    it('reports the decision on the application a TD call recorded, by its sequence id', async () => {
      const partner = await t.ctx.partners.create({ tenant: 'acme', countries: ['MX'] });
      await t.ctx.partners.addPackage({ partner: partner.code, package: 'multiplatform_multi_V1_1' });
      const person = { id_number: 'HEGG560427MVZRRL04', phone_number: '5577778888', country: 'MX' };
      const call = await t.app.inject({
        method: 'POST',
        url: `/td/api?partner_code=${partner.code}&partner_key=${partner.key}`,
        payload: {
          ...person,
          id_type: 'national_id',
          name: 'A',
          app_name: 'CashNow',
          package_name: 'multiplatform_multi_V1_1',
        },
      });
      const sequenceId = call.json().sequence_id as string;
      const decided = await post({
        sequence_id: sequenceId,
        external_id: 'loan-9',
        country: 'MX',
        national_id: person.id_number,
        phone: person.phone_number,
        app_name: 'CashNow',
        status: 'approved',
      });
      expect(decided.statusCode).toBe(200);
      expect(decided.json()).toMatchObject({
        sequence_id: sequenceId,
        external_id: 'loan-9',
        status: 'approved',
        created: false,
      });
      // One application, now approved: later reports may use the external id.
      const rows = await t.ctx.database.db
        .selectFrom('consortium_applications')
        .select(['status', 'source'])
        .where('sequence_id', '=', sequenceId)
        .execute();
      expect(rows).toEqual([{ status: 'approved', source: 'td' }]);
      const paid = await post({
        external_id: 'loan-9',
        country: 'MX',
        national_id: person.id_number,
        app_name: 'CashNow',
        status: 'approved',
        loan: { status: 'paid' },
      });
      expect(paid.json()).toMatchObject({
        id: decided.json().id,
        sequence_id: sequenceId,
        loan: { status: 'paid' },
      });
    });

    it('keeps the identifiers recorded before when a report leaves one out', async () => {
      const partner = await partnerWith(t, 'acme', {
        countries: ['MX'],
        packages: [{ name: 'multiplatform_multi_V1_1' }],
      });
      const person = { id_number: 'BEML920313HCMLNS09', phone_number: '5511112222' };
      const call = await tdCall(t, partner, {
        ...request('MX', 'multiplatform_multi_V1_1', person),
        app_name: 'CashNow',
      });
      const sequenceId = call.json().sequence_id as string;
      const hashes = () =>
        t.ctx.database.db
          .selectFrom('consortium_applications')
          .select(['id_hash', 'phone_hash'])
          .where('sequence_id', '=', sequenceId)
          .executeTakeFirstOrThrow();
      const recorded = await hashes();
      expect(recorded.id_hash).not.toBeNull();
      expect(recorded.phone_hash).not.toBeNull();
      const byPhone = async () =>
        (await t.ctx.consortium.recordsOf({ country: 'MX', nationalId: null, phone: '+525511112222' }))
          .length;
      expect(await byPhone()).toBe(1);

      // The decision, by sequence id and national id only: the phone stays, and still finds it.
      const decided = await post({
        sequence_id: sequenceId,
        external_id: 'keep-1',
        country: 'MX',
        national_id: person.id_number,
        app_name: 'CashNow',
        status: 'approved',
      });
      expect(decided.statusCode).toBe(200);
      expect(await hashes()).toEqual(recorded);
      expect(await byPhone()).toBe(1);

      // Reported again by external id and phone only: the national id stays.
      const paid = await post({
        external_id: 'keep-1',
        country: 'MX',
        phone: person.phone_number,
        app_name: 'CashNow',
        status: 'approved',
        loan: { status: 'paid' },
      });
      expect(paid.statusCode).toBe(200);
      expect(await hashes()).toEqual(recorded);

      // A phone the report does give replaces the one recorded.
      await post({
        external_id: 'keep-1',
        country: 'MX',
        phone: '5533334444',
        app_name: 'CashNow',
        status: 'approved',
      });
      const changed = await hashes();
      expect(changed.id_hash).toBe(recorded.id_hash);
      expect(changed.phone_hash).not.toBe(recorded.phone_hash);
      expect(changed.phone_hash).not.toBeNull();
      expect(await byPhone()).toBe(0);
    });

    it('records one application for two first reports of one external id at the same moment', async () => {
      const body = { external_id: 'twin', country: 'MX', national_id: 'BOXW310820HNERXN09', app_name: 'x' };
      const [a, b] = await Promise.all([post(body), post(body)]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
      expect(a.json().id).toBe(b.json().id);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ManualClock } from '../../../../test/helpers/clock.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import {
  type Country,
  PEOPLE,
  partnerWith,
  request,
  type TestPartner,
  tdCall,
} from '../../../../test/helpers/td.js';

for (const engine of ENGINES) {
  describe(`TD dialect on ${engine}: errors`, () => {
    let t: TestApp;
    let clock: ManualClock;
    let all: TestPartner;

    beforeAll(async () => {
      clock = new ManualClock('2025-06-30T12:00:00Z');
      t = await createTestApp(engine, { clock });
      all = await partnerWith(t, 'acme', {
        packages: [
          { name: 'credit_rating_estimation', price: '1' },
          { name: 'behavior_analysis_of_repayment', price: '1' },
          { name: 'multiplatform_multi', price: '1' },
          { name: 'multiplatform_multi_V1_1', price: '1' },
        ],
        balance: '1000',
      });
    });
    afterAll(async () => t?.close());

    /** Calls and checks the failure shape: HTTP 200, exactly {code, sequence_id, message}. */
    const failure = async (body: unknown, partner: TestPartner = all) => {
      const res = await tdCall(t, partner, body);
      expect(res.statusCode).toBe(200);
      const json = res.json();
      expect(Object.keys(json)).toEqual(['code', 'sequence_id', 'message']);
      expect(json.sequence_id).toMatch(/^[0-9a-f]{32}$/);
      return json as { code: number; message: string; sequence_id: string };
    };
    const full = request('MX', 'credit_rating_estimation', { app_name: 'CashNow' });

    it('reports the first missing parameter, in the documented order, as 9060 "{parameter} empty"', async () => {
      const order = ['id_number', 'id_type', 'country', 'name', 'phone_number', 'package_name'];
      for (let i = 0; i < order.length; i++) {
        const body: Record<string, unknown> = { ...full };
        for (const p of order.slice(i)) delete body[p];
        expect(await failure(body)).toMatchObject({ code: 9060, message: `${order[i]} empty` });
      }
      for (const blank of [null, '', '   ']) {
        expect(await failure({ ...full, name: blank })).toMatchObject({ code: 9060, message: 'name empty' });
      }
      expect(await failure('')).toMatchObject({ code: 9060, message: 'id_number empty' });
      expect(await failure({})).toMatchObject({ code: 9060, message: 'id_number empty' });
    });

    it('reports bad values as 9061 "{parameter} error", in the documented order', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ id_type: 'passport' }, 'id_type error'],
        [{ id_type: 'passport', country: 'US' }, 'id_type error'],
        [{ country: 'US' }, 'country error'],
        [{ country: 'US', package_name: 'nope' }, 'country error'],
        [{ package_name: 'nope' }, 'package_name error'],
        [{ package_name: 'multiplatform_multi_v1_1' }, 'package_name error'],
        [{ package_name: 'nope', id_number: 'x' }, 'package_name error'],
        [{ id_number: 'BOXW310820HNERXN08' }, 'id_number error'],
        [{ id_number: 'BOXW310820HNERXN08', phone_number: '1' }, 'id_number error'],
        [{ id_number: 123456 }, 'id_number error'],
        [{ name: 'x'.repeat(201) }, 'name error'],
        [{ name: 'Ana\u0001' }, 'name error'],
        // NUL is no text at all (PostgreSQL cannot store it): the body is unreadable, before any field.
        [{ name: 'Ana\u0000', id_type: 'passport' }, 'request body error'],
        [{ name: 42 }, 'name error'],
        [{ app_name: 'x'.repeat(129) }, 'app_name error'],
        [{ app_name: 7 }, 'app_name error'],
      ];
      for (const [change, message] of cases) {
        expect(await failure({ ...full, ...change }), message).toMatchObject({ code: 9061, message });
      }
      expect(await failure([full])).toMatchObject({ code: 9061, message: 'request body error' });
      // Lengths count characters: 200 emoji are a name of 200 characters, as 128 are an app name.
      const emoji = (n: number) => '\u{1F600}'.repeat(n);
      expect((await tdCall(t, all, { ...full, name: emoji(200), app_name: emoji(128) })).json().code).toBe(
        200,
      );
      expect(await failure({ ...full, name: emoji(201) })).toMatchObject({
        code: 9061,
        message: 'name error',
      });
      const broken = await tdCall(t, all, '{"id_number": ');
      expect(broken.json()).toMatchObject({ code: 9061, message: 'request body error' });
    });

    it('offers only repayment and Multiplatform V1.1 in VN, NG and PK', async () => {
      for (const country of ['VN', 'NG', 'PK'] as const) {
        for (const pkg of ['credit_rating_estimation', 'multiplatform_multi']) {
          expect(await failure(request(country, pkg))).toMatchObject({
            code: 9061,
            message: 'package_name error',
          });
        }
        for (const pkg of ['behavior_analysis_of_repayment', 'multiplatform_multi_V1_1']) {
          expect((await tdCall(t, all, request(country, pkg))).json().code).toBe(200);
        }
      }
    });

    it("checks the id number by its country's rule", async () => {
      const bad: Record<Country, string> = {
        MX: 'BOXW310820HNERXN08',
        IN: '234123412347',
        TH: '3100600445636',
        CO: '12345',
        PH: '12345678901',
        VN: '12345678',
        NG: '1234567890',
        PK: '9420108912318',
      };
      for (const [country, id] of Object.entries(bad) as [Country, string][]) {
        const pkg = 'multiplatform_multi_V1_1';
        expect(await failure(request(country, pkg, { id_number: id })), country).toMatchObject({
          code: 9061,
          message: 'id_number error',
        });
        expect((await tdCall(t, all, request(country, pkg))).json().code, country).toBe(200);
      }
    });

    it("answers 9081 when the phone number does not follow the country's rules", async () => {
      const bad: [Country, string][] = [
        ['IN', '09876543210'],
        ['MX', '+525512345678'],
        ['TH', '812345678'],
        ['PH', '9171234567'],
        ['CO', '12345'],
        ['VN', '912345678'],
        ['NG', '8031234567'],
        ['PK', '3001234567'],
      ];
      for (const [country, phone] of bad) {
        expect(
          await failure(request(country, 'multiplatform_multi_V1_1', { phone_number: phone })),
          country,
        ).toEqual({
          code: 9081,
          sequence_id: expect.any(String),
          message: 'The format of the phone number does not match with the country',
        });
      }
      // A bad id number is reported before a bad phone number.
      expect(await failure({ ...full, id_number: 'X', phone_number: '1' })).toMatchObject({ code: 9061 });
    });

    it('answers 9055 in a country the partner is not served in, after checking the request', async () => {
      const mxOnly = await partnerWith(t, 'mx-only', {
        countries: ['MX'],
        packages: [{ name: 'multiplatform_multi_V1_1' }],
      });
      expect(await failure(request('IN', 'multiplatform_multi_V1_1'), mxOnly)).toEqual({
        code: 9055,
        sequence_id: expect.any(String),
        message: 'The country partner located has no service',
      });
      expect(
        await failure(request('IN', 'multiplatform_multi_V1_1', { phone_number: '1' }), mxOnly),
      ).toMatchObject({
        code: 9081,
      });
    });

    it('answers 300-304 for the state of the package', async () => {
      const p = await partnerWith(t, 'states', {
        countries: ['MX'],
        packages: [
          { name: 'credit_rating_estimation', price: '2', starts: '2025-07-01' },
          { name: 'multiplatform_multi', price: '2', expires: '2025-06-29' },
          { name: 'multiplatform_multi_V1_1', price: '2' },
          { name: 'behavior_analysis_of_repayment', price: '2' },
        ],
        balance: '3',
      });
      const seed = (code: number, message: string) => ({ code, sequence_id: expect.any(String), message });
      expect(await failure(request('MX', 'credit_rating_estimation'), p)).toEqual(
        seed(300, 'Service not purchased or not effective'),
      );
      expect(await failure(request('MX', 'multiplatform_multi'), p)).toEqual(seed(304, 'Service expired'));
      await t.ctx.partners.setPackageStatus(p.code, 'multiplatform_multi_V1_1', 'suspended');
      expect(await failure(request('MX', 'multiplatform_multi_V1_1'), p)).toEqual(
        seed(302, 'Service has been suspend'),
      );
      await t.ctx.partners.setPackageStatus(p.code, 'multiplatform_multi_V1_1', 'active');
      expect((await tdCall(t, p, request('MX', 'multiplatform_multi_V1_1'))).json().code).toBe(200);
      // 3 - 2 = 1 left: not enough for another call.
      expect(await failure(request('MX', 'behavior_analysis_of_repayment'), p)).toEqual(
        seed(303, 'Not enough balance'),
      );
      const none = await partnerWith(t, 'nothing-bought', { countries: ['MX'] });
      expect(await failure(request('MX', 'multiplatform_multi_V1_1'), none)).toEqual(
        seed(301, 'Service not purchased'),
      );
      // The package becomes effective on its start date, and stops after its expiry date.
      clock.advance(12 * 3_600_000);
      await t.ctx.partners.topUp(p.code, '10');
      expect((await tdCall(t, p, request('MX', 'credit_rating_estimation'))).json().code).toBe(200);
      clock.advance(-12 * 3_600_000);
    });

    it('records every failed call without charging it', async () => {
      const p = await partnerWith(t, 'ledger', {
        countries: ['MX'],
        packages: [{ name: 'multiplatform_multi_V1_1', price: '5' }],
        balance: '5',
      });
      const seqs = [
        (await failure({ ...request('MX', 'multiplatform_multi_V1_1'), country: 'US' }, p)).sequence_id,
        (await failure({ ...request('MX', 'multiplatform_multi_V1_1'), phone_number: '1' }, p)).sequence_id,
        (await failure(request('MX', 'credit_rating_estimation'), p)).sequence_id,
      ];
      const ok = (await tdCall(t, p, request('MX', 'multiplatform_multi_V1_1'))).json().sequence_id;
      seqs.push((await failure(request('MX', 'multiplatform_multi_V1_1'), p)).sequence_id);
      const usage = await t.ctx.partners.usage(p.code);
      expect(usage.partner.balance).toBe(0);
      expect(usage.totals).toEqual({ calls: 5, succeeded: 1, charged: 5 });
      const byId = new Map(usage.calls.map((c) => [c.sequenceId, c]));
      expect(seqs.map((s) => [byId.get(s)?.code, byId.get(s)?.charged])).toEqual([
        [9061, 0],
        [9081, 0],
        [301, 0],
        [303, 0],
      ]);
      expect(byId.get(ok)).toMatchObject({
        code: 200,
        charged: 5,
        package: 'multiplatform_multi_V1_1',
        country: 'MX',
      });
      expect(usage.ledger.map((l) => [l.kind, l.amount])).toEqual([
        ['charge', -5],
        ['topup', 5],
      ]);
    });

    it('answers 9500 with HTTP 500 when something fails inside, and charges nothing', async () => {
      const p = await partnerWith(t, 'broken', {
        countries: ['MX'],
        packages: [{ name: 'multiplatform_multi_V1_1', price: '1' }],
        balance: '1',
      });
      const spy = vi.spyOn(t.ctx.indicators, 'evaluate').mockRejectedValueOnce(new Error('disk on fire'));
      const res = await tdCall(t, p, request('MX', 'multiplatform_multi_V1_1'));
      spy.mockRestore();
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ code: 9500, sequence_id: expect.any(String), message: 'Internal error' });
      expect(res.body).not.toContain('disk on fire');
      expect(await t.ctx.partnerCalls.find(res.json().sequence_id)).toMatchObject({ code: 9500, charged: 0 });
      expect((await t.ctx.partners.get(p.code)).balance).toBe(1);
    });

    it('refuses an Idempotency-Key reused for another request, and a malformed one', async () => {
      const body = request('MX', 'multiplatform_multi_V1_1');
      expect((await tdCall(t, all, body, { 'idempotency-key': 'k-1' })).json().code).toBe(200);
      const reused = await tdCall(t, all, { ...body, name: 'Someone Else' }, { 'idempotency-key': 'k-1' });
      expect(reused.json()).toMatchObject({ code: 9061, message: 'Idempotency-Key error' });
      const bad = await tdCall(t, all, body, { 'idempotency-key': 'a b' });
      expect(bad.json()).toMatchObject({ code: 9061, message: 'Idempotency-Key error' });
    });

    it('answers an unknown path with HTTP 404 in the same shape', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/td/other?partner_code=${all.code}&partner_key=${all.key}`,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ code: 9061, sequence_id: expect.any(String), message: 'url error' });
      const get = await t.app.inject({
        method: 'GET',
        url: `/td/api?partner_code=${all.code}&partner_key=${all.key}`,
      });
      expect(get.statusCode).toBe(404);
      // Without credentials too: the path is wrong before the credentials are.
      for (const [method, url] of [
        ['POST', '/td/other'],
        ['GET', '/td/api'],
      ] as const) {
        const bare = await t.app.inject({ method, url });
        expect(bare.statusCode).toBe(404);
        expect(bare.json()).toMatchObject({ code: 9061, message: 'url error' });
      }
    });

    it('refuses a body over 1 MiB as a body error', async () => {
      const res = await tdCall(t, all, { ...full, name: 'x'.repeat(1024 * 1024) });
      expect(res.json()).toMatchObject({ code: 9061, message: 'request body error' });
    });

    it('knows every country of the seed', () => {
      expect(Object.keys(PEOPLE).sort()).toEqual(['CO', 'IN', 'MX', 'NG', 'PH', 'PK', 'TH', 'VN']);
    });
  });
}

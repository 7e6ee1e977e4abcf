import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`POST /api/v1/applications on ${engine}: security`, () => {
    let t: TestApp;
    const body = { external_id: 'same-id', country: 'MX', national_id: 'BOXW310820HNERXN09', app_name: 'a' };
    const post = (key: string, payload: object = body) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: { authorization: `Bearer ${key}` },
        payload,
      });

    beforeAll(async () => {
      t = await createTestApp(engine);
      await t.tenantWithKey('a');
      await t.tenantWithKey('b');
      await t.ctx.consortium.join('a');
      await t.ctx.consortium.join('b');
    });
    afterAll(async () => t?.close());

    it('needs the applications:write scope and a key', async () => {
      const readOnly = await t.key('a', ['models:read']);
      const res = await post(readOnly);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('CREDENCE_FORBIDDEN');
      expect((await post(await t.key('a', ['applications:write']))).statusCode).toBe(201);
      expect((await post('crd_sk_nope')).statusCode).toBe(401);
    });

    it("keeps each tenant's external ids apart", async () => {
      const a = await post(await t.key('a'));
      const b = await post(await t.key('b'));
      expect(a.json().created).toBe(false);
      expect(b.json().created).toBe(true);
      expect(a.json().id).not.toBe(b.json().id);
    });

    it("cannot report on the application another tenant's call recorded", async () => {
      const partner = await t.ctx.partners.create({ tenant: 'a', countries: ['MX'] });
      await t.ctx.partners.addPackage({ partner: partner.code, package: 'multiplatform_multi_V1_1' });
      const call = await t.app.inject({
        method: 'POST',
        url: `/td/api?partner_code=${partner.code}&partner_key=${partner.key}`,
        payload: {
          id_number: 'BOXW310820HNERXN09',
          id_type: 'national_id',
          country: 'MX',
          name: 'A',
          phone_number: '5512345678',
          app_name: 'x',
          package_name: 'multiplatform_multi_V1_1',
        },
      });
      const { external_id: _, ...rest } = body;
      const res = await post(await t.key('b'), { ...rest, sequence_id: call.json().sequence_id });
      expect(res.statusCode).toBe(404);
    });

    it('refuses a tenant outside the consortium, storing nothing', async () => {
      await t.tenantWithKey('c');
      const res = await post(await t.key('c'));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'CREDENCE_CONSORTIUM_NOT_JOINED' });
      const rows = await t.ctx.database.db
        .selectFrom('consortium_applications')
        .select('platform_id')
        .execute();
      expect(rows.map((r) => r.platform_id)).not.toContain((await t.ctx.tenants.get('c')).id);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { tampered } from '../../../test/helpers/secrets.js';

for (const engine of ENGINES) {
  describe(`/api/v1/admin on ${engine}: who gets in, and one tenant at a time`, () => {
    let t: TestApp;
    let admin: string;
    let acme: { tenantId: string; key: string };
    const get = (url: string, key?: string) =>
      t.app.inject({ method: 'GET', url, headers: key ? { authorization: `Bearer ${key}` } : {} });

    beforeAll(async () => {
      t = await createTestApp(engine);
      acme = await t.tenantWithKey('acme');
      await t.tenantWithKey('globex');
      admin = (await t.ctx.adminKeys.create()).key;
      await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': acme.key },
        payload: { client_id: 'p-1', age: 30 },
      });
    });
    afterAll(async () => t?.close());

    it("refuses a tenant's key with 403, and no key or a wrong one with 401", async () => {
      const tenantKey = await get('/api/v1/admin/tenants', acme.key);
      expect(tenantKey.statusCode).toBe(403);
      expect(tenantKey.json().code).toBe('CREDENCE_FORBIDDEN');
      expect((await get('/api/v1/admin/tenants/acme/subjects?partner_id=p-1', acme.key)).statusCode).toBe(
        403,
      );
      expect((await get('/api/v1/admin/tenants')).statusCode).toBe(401);
      expect((await get('/api/v1/admin/tenants', tampered(admin))).statusCode).toBe(401);
      expect((await get('/api/v1/admin/tenants', admin)).statusCode).toBe(200);
    });

    it('answers a path or method it does not serve with 404 to an admin key, after the key check', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/admin/nope'],
        ['DELETE', '/api/v1/admin/tenants'],
        ['PUT', '/api/v1/admin/keys/key_x'],
      ] as const) {
        const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${admin}` } });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json()).toMatchObject({ code: 'CREDENCE_ROUTE_NOT_FOUND' });
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      expect((await get('/api/v1/admin/nope', acme.key)).statusCode).toBe(403);
      expect((await get('/api/v1/admin/nope')).statusCode).toBe(401);
    });

    it('is not a tenant key either: an admin key opens none of the tenant APIs', async () => {
      expect((await get('/api/v1/models', admin)).statusCode).toBe(401);
      const cladfy = await t.app.inject({
        method: 'GET',
        url: '/cladfy/v1/client_data/?client_id=p-1',
        headers: { 'x-api-key': admin },
      });
      expect(cladfy.statusCode).toBe(401);
    });

    it("shows a subject only under its own tenant's path", async () => {
      expect((await get('/api/v1/admin/tenants/acme/subjects?partner_id=p-1', admin)).statusCode).toBe(200);
      const other = await get('/api/v1/admin/tenants/globex/subjects?partner_id=p-1', admin);
      expect(other.statusCode).toBe(404);
      const id = (await get('/api/v1/admin/tenants/acme/subjects?partner_id=p-1', admin)).json().id;
      expect((await get(`/api/v1/admin/tenants/globex/subjects/${id}/score-runs`, admin)).statusCode).toBe(
        404,
      );
      expect((await get(`/api/v1/admin/tenants/globex/subjects/${id}/data-sources`, admin)).statusCode).toBe(
        404,
      );
      expect((await get('/api/v1/admin/tenants/nobody/models', admin)).statusCode).toBe(404);
    });

    it('stops accepting a revoked admin key', async () => {
      const k = await t.ctx.adminKeys.create();
      expect((await get('/api/v1/admin/tenants', k.key)).statusCode).toBe(200);
      await t.ctx.adminKeys.revoke(k.id);
      expect((await get('/api/v1/admin/tenants', k.key)).statusCode).toBe(401);
    });

    it('revokes an admin key named by the key itself, as a leaked key is known', async () => {
      const k = await t.ctx.adminKeys.create();
      expect((await t.ctx.adminKeys.revoke(k.key)).id).toBe(k.id);
      expect((await get('/api/v1/admin/tenants', k.key)).statusCode).toBe(401);
      await expect(t.ctx.adminKeys.revoke('crd_ak_NotAKeyThatExists000000')).rejects.toThrow(/not found/);
    });
  });
}

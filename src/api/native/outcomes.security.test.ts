import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`POST /api/v1/outcomes on ${engine}: credentials and tenants`, () => {
    let t: TestApp;
    const body = { outcomes: [{ partner_id: 'p-1', status: 'default', observed_at: '2024-09-30' }] };
    const post = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/api/v1/outcomes', headers, payload: body });

    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => t?.close());

    it('needs a valid, unrevoked key with the outcomes:write scope', async () => {
      const { key } = await t.tenantWithKey('acme', ['models:read']);
      expect((await post({})).statusCode).toBe(401);
      expect((await post({ authorization: 'Bearer crd_sk_nope' })).statusCode).toBe(401);
      const forbidden = await post({ authorization: `Bearer ${key}` });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json().detail).toBe('this credential lacks the scope outcomes:write');
      // The scope comes before the body: a bad body from a key without it still gets the 403.
      const badBody = await t.app.inject({
        method: 'POST',
        url: '/api/v1/outcomes',
        headers: { authorization: `Bearer ${key}` },
        payload: { outcomes: 'none' },
      });
      expect(badBody.statusCode).toBe(403);

      const writer = await t.key('acme', ['outcomes:write']);
      expect((await post({ authorization: `Bearer ${writer}` })).statusCode).toBe(201);
      const k = await t.ctx.apiKeys.list('acme');
      await t.ctx.apiKeys.revoke(k.find((x) => x.scopes.includes('outcomes:write'))!.id);
      expect((await post({ authorization: `Bearer ${writer}` })).statusCode).toBe(401);
    });

    it("records against the caller's own subject, never another tenant's with the same partner id", async () => {
      const a = await t.tenantWithKey('tenant-a');
      const b = await t.tenantWithKey('tenant-b');
      await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': a.key },
        payload: { client_id: 'p-1', age: 30 },
      });
      expect((await post({ authorization: `Bearer ${b.key}` })).statusCode).toBe(201);
      const rows = await t.ctx.database.db
        .selectFrom('outcomes')
        .innerJoin('subjects', 'subjects.id', 'outcomes.subject_id')
        .select(['outcomes.tenant_id as outcomeTenant', 'subjects.tenant_id as subjectTenant'])
        .where('outcomes.tenant_id', 'in', [a.tenantId, b.tenantId])
        .execute();
      expect(rows).toEqual([{ outcomeTenant: b.tenantId, subjectTenant: b.tenantId }]);
    });
  });
}

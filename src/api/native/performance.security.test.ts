import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testScorecard } from '../../../test/fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`GET /api/v1/models/{id}/performance on ${engine}: credentials and tenants`, () => {
    let t: TestApp;
    let a: { tenantId: string; key: string };
    let b: { tenantId: string; key: string };
    let modelA: string;
    const get = (key: string, id: string) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/models/${id}/performance`,
        headers: { authorization: `Bearer ${key}` },
      });

    beforeAll(async () => {
      t = await createTestApp(engine);
      a = await t.tenantWithKey('tenant-a');
      b = await t.tenantWithKey('tenant-b');
      modelA = (await t.ctx.models.add(a.tenantId, testScorecard(), { source: 'upload' })).model.id;
      await t.ctx.models.activate(a.tenantId, modelA);
      await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': a.key },
        payload: { client_id: 'p-1', age: 30 },
      });
    });
    afterAll(async () => t?.close());

    it("another tenant's model is not found, and its runs never count", async () => {
      const res = await get(b.key, modelA);
      expect(res.statusCode).toBe(404);
      expect((await get(a.key, modelA)).json().runs.champion).toBe(1);
      // The starter model both can see counts only the caller's own runs.
      await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/deposit_score/',
        headers: { 'x-api-key': a.key },
        payload: {
          client_id: 'p-1',
          startDate: '2024-01-01',
          endDate: '2024-02-28',
          expectedDepositDay: 1,
          expectedDepositAmount: 100,
          deposits: [],
        },
      });
      const starter = (await t.ctx.models.list(b.tenantId, 'deposit_score'))[0]!.id;
      expect((await get(b.key, starter)).json().runs.champion).toBe(0);
      expect((await get(a.key, starter)).json().runs.champion).toBe(1);
    });

    it('needs models:read and a valid key', async () => {
      const outcomesOnly = await t.key('tenant-a', ['outcomes:write']);
      const res = await get(outcomesOnly, modelA);
      expect(res.statusCode).toBe(403);
      expect(res.json().detail).toBe('this credential lacks the scope models:read');
      expect((await get('crd_sk_nope', modelA)).statusCode).toBe(401);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSync } from '../../../test/fixtures/device-sync.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { finboxTenant, sync } from '../../../test/helpers/finbox.js';

for (const engine of ENGINES) {
  describe(`POST /api/v1/device-score [${engine}]`, () => {
    let t: TestApp;
    let key: string;
    beforeAll(async () => {
      t = await createTestApp(engine);
      const f = await finboxTenant(t, 'acme');
      key = await t.key('acme');
      await sync(t, f.deviceKey, syntheticSync({ customerId: 'D1', now: Date.now(), sms: 100 }));
      await finboxTenant(t, 'other');
    });
    afterAll(async () => t.close());

    const score = (k: string, customer: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/device-score',
        headers: { authorization: `Bearer ${k}` },
        payload: { customer_id: customer },
      });

    it('scores the synced customer with the starter device scorecard and keeps the run', async () => {
      const r = await score(key, 'D1');
      expect(r.statusCode).toBe(200);
      const b = r.json();
      expect(b.model.name).toBe('Starter device scorecard');
      expect(b.score).toBeGreaterThan(0);
      expect(b.score).toBeLessThanOrEqual(b.max_score);
      expect(b.predictor_version).toBe(1);
      const history = await t.app.inject({
        method: 'GET',
        url: '/api/v1/subjects?partner_id=D1',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(history.statusCode).toBe(200);
    });

    it("is 404 for a customer that never synced, and for another tenant's customer", async () => {
      expect((await score(key, 'NOBODY')).statusCode).toBe(404);
      expect((await score(await t.key('other'), 'D1')).statusCode).toBe(404);
    });
  });
}

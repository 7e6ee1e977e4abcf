import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { ENGINES } from '../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`API key expiry [${engine}]`, () => {
    let t: TestApp;
    const now = Date.parse('2026-12-07T12:00:00.000Z');
    beforeAll(async () => {
      t = await createTestApp(engine, { clock: { now: () => new Date(now) } });
      await t.ctx.tenants.create('acme');
    });
    afterAll(async () => t.close());

    it('reads an expiry without an offset as UTC whatever time zone the host is in', async () => {
      const zone = process.env.TZ;
      // Five and a half hours ahead of UTC: read as local time, 13:00 would be 07:30 UTC, passed.
      process.env.TZ = 'Asia/Kolkata';
      try {
        const k = await t.ctx.apiKeys.create({ tenant: 'acme', expiresAt: '2026-12-07T13:00' });
        expect(k.expiresAt).toBe('2026-12-07T13:00:00.000Z');
        const res = await t.app.inject({
          method: 'POST',
          url: '/cladfy/v1/demographic_score/',
          headers: { 'x-api-key': k.key },
          payload: { client_id: 'tz-1', age: 30 },
        });
        expect(res.statusCode).toBe(200);
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { type FinboxTenant, finboxTenant, predictors, sync } from '../../../test/helpers/finbox.js';

for (const engine of ENGINES) {
  describe(`device sync moves the data watermark [${engine}]`, () => {
    let t: TestApp;
    let acme: FinboxTenant;
    let now = Date.parse('2026-06-15T10:00:00.000Z');
    beforeAll(async () => {
      t = await createTestApp(engine, { clock: { now: () => new Date(now) } });
      acme = await finboxTenant(t, 'acme');
    });
    afterAll(async () => t.close());

    const allSms = async (customerId: string) => {
      const r = await predictors(t, acme, customerId);
      expect(r.json().status).toBe('complete');
      return r.json().data.find((p: { name: string }) => p.name === 'all_sms_count').value;
    };

    it('featurizes a batch stored after the newest one was featurized, whatever its clock said', async () => {
      const sms = (n: number) => ({ sender: 'A', body: `message ${n}`, timestamp: now - 3_600_000 });
      await sync(t, acme.deviceKey, { customer_id: 'ORDER', batch_id: 'b1', sms: [sms(1), sms(2)] });
      await t.ctx.queue.drain();
      expect(await allSms('ORDER')).toBe(2);
      // A second server whose clock is two seconds behind (or this one's, stepped back by NTP)
      // stores the next batch: the predictors must describe it too, not stay at the first.
      now -= 2000;
      const second = await sync(t, acme.deviceKey, { customer_id: 'ORDER', batch_id: 'b2', sms: [sms(3)] });
      expect(second.statusCode).toBe(201);
      await t.ctx.queue.drain();
      expect(await allSms('ORDER')).toBe(3);
    });
  });
}

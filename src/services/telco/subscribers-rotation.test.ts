import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { type AppContext, createContext } from '../../context.js';

const NEW_KEY = randomBytes(32).toString('base64');
const subscriber = (phone: string, arpu: number) => ({
  phone_number: phone,
  subscription_type: 'prepaid',
  activation_date: '2024-01-15',
  features: { arpu },
});

for (const engine of ENGINES) {
  describe(`subscribers loaded again while the secret key is rotated [${engine}]`, () => {
    let t: TestApp;
    let rotating: AppContext;
    let tenantId: string;
    const load = (ctx: AppContext, rows: ReturnType<typeof subscriber>[]) =>
      ctx.telco.subscribers.load(tenantId, rows, { actor: 'test', where: (i) => `subscribers[${i}]` });

    beforeAll(async () => {
      t = await createTestApp(engine);
      tenantId = (await t.tenantWithKey('operator')).tenantId;
      await load(t.ctx, [subscriber('+254712345678', 25), subscriber('+254722000111', 4)]);
      // A process of step 1 of a rotation: the new key first, the old one still read.
      rotating = await createContext({ ...t.db.config, secretKey: `${NEW_KEY},${t.db.config.secretKey}` });
    });
    afterAll(async () => {
      await rotating?.close();
      await t?.close();
    });

    it('replaces the data of the number loaded under the old key, keeping its subscriber', async () => {
      const before = await rotating.telco.subscribers.record(tenantId, '+254712345678');
      const result = await load(rotating, [subscriber('+254712345678', 99), subscriber('+254733000222', 7)]);
      expect(result).toEqual({ received: 2, created: 1, updated: 1 });
      const after = await rotating.telco.subscribers.record(tenantId, '+254712345678');
      expect(after.id).toBe(before.id);
      expect(after.features).toEqual({ arpu: 99 });
      const rows = await t.ctx.database.db.selectFrom('telco_subscribers').select('id').execute();
      expect(rows).toHaveLength(3);
    });

    it('keeps the latest data through the rotation itself', async () => {
      const report = await rotating.keyRotation.rotate();
      expect(report.remaining).toBe(0);
      const after = await rotating.telco.subscribers.record(tenantId, '+254712345678');
      expect(after.features).toEqual({ arpu: 99 });
      expect((await rotating.telco.subscribers.record(tenantId, '+254722000111')).features).toEqual({
        arpu: 4,
      });
    });
  });
}

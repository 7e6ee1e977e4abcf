import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSync } from '../../../test/fixtures/device-sync.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { type FinboxTenant, finboxTenant, sync } from '../../../test/helpers/finbox.js';
import { createContext } from '../../context.js';
import { newId } from '../../lib/ids.js';

for (const engine of ENGINES) {
  describe(`device data as featurization reads it [${engine}]`, () => {
    let t: TestApp;
    let acme: FinboxTenant;
    const now = Date.now();
    beforeAll(async () => {
      t = await createTestApp(engine, { startWorkers: false });
      acme = await finboxTenant(t, 'acme');
    });
    afterAll(async () => t.close());

    const subjectOf = async (customerId: string) =>
      (
        await t.ctx.database.db
          .selectFrom('subjects')
          .select('id')
          .where('partner_id', '=', customerId)
          .executeTakeFirstOrThrow()
      ).id;

    it('reads every stored message once, across batches that overlap', async () => {
      const first = syntheticSync({ customerId: 'OVERLAP', batchId: 'b1', now, sms: 30, apps: 0, calls: 0 });
      const second = syntheticSync({ customerId: 'OVERLAP', batchId: 'b2', now, sms: 40, apps: 0, calls: 0 });
      // The same seed: the second batch repeats the first's 30 messages and adds ten.
      expect(second.sms!.slice(0, 30)).toEqual(first.sms);
      expect((await sync(t, acme.deviceKey, first)).statusCode).toBe(201);
      const r = await sync(t, acme.deviceKey, second);
      expect(r.json().stored.sms_duplicates).toBe(30);
      const subjectId = await subjectOf('OVERLAP');
      const snapshot = await t.ctx.device.features.snapshot(acme.tenantId, subjectId, now);
      expect(snapshot.sms).toHaveLength(40);
      expect(new Set(snapshot.sms.map((m) => `${m.time}:${m.sender}`)).size).toBe(40);
      // The facts are one encrypted record per batch, not readable in the message rows.
      const records = await t.ctx.dataRecords.list(acme.tenantId, subjectId, ['device_sms_facts']);
      expect(records.map((x) => (x.data as unknown[]).length)).toEqual([30, 10]);
    });

    it('still reads facts kept per message, as messages were stored before', async () => {
      const batch = syntheticSync({ customerId: 'OLDER', now, sms: 5, apps: 0, calls: 0 });
      await sync(t, acme.deviceKey, batch);
      const subjectId = await subjectOf('OLDER');
      const fact = { time: now - 1000, sender: 'VM-OLDBNK', parsed: { category: 'other' } };
      await t.ctx.database.db
        .insertInto('device_sms')
        .values({
          tenant_id: acme.tenantId,
          subject_id: subjectId,
          id: newId('sms'),
          fingerprint: 'legacy-fingerprint',
          fact: t.ctx.cipher.encrypt(JSON.stringify(fact)),
          body: null,
          body_expires_at: null,
          created_at: new Date(now).toISOString(),
        })
        .execute();
      const snapshot = await t.ctx.device.features.snapshot(acme.tenantId, subjectId, now);
      expect(snapshot.sms).toHaveLength(6);
      expect(snapshot.sms).toContainEqual(fact);
    });

    it("sees another process's sync once its cached watermark expires", async () => {
      // A second process on the same database, trusting what it cached for 200 ms.
      const other = await createContext(t.db.config, { keyCacheTtlMs: 200 });
      try {
        expect(await other.device.features.predictors(acme.tenantId, 'LATER', 1)).toEqual({
          state: 'not_found',
        });
        await sync(t, acme.deviceKey, syntheticSync({ customerId: 'LATER', now, sms: 5 }));
        // This process forgets at once what its own sync changed.
        expect((await t.ctx.device.features.predictors(acme.tenantId, 'LATER', 1)).state).toBe('pending');
        await new Promise((r) => setTimeout(r, 250));
        expect((await other.device.features.predictors(acme.tenantId, 'LATER', 1)).state).toBe('pending');
      } finally {
        await other.close();
      }
    });
  });
}

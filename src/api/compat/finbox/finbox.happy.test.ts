import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticSync } from '../../../../test/fixtures/device-sync.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { finboxTenant, predictors, sync } from '../../../../test/helpers/finbox.js';
import { PREDICTORS_V1 } from '../../../domain/features/predictors/v1.js';

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}:\d{3}$/;

for (const engine of ENGINES) {
  describe(`DeviceConnect, the happy paths [${engine}]`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await createTestApp(engine);
    });
    afterEach(async () => t.close());

    it('syncs a batch, answers 202 then complete with the version-1 predictors', async () => {
      const f = await finboxTenant(t, 'acme');
      const body = syntheticSync({ customerId: 'CUST-1', now: Date.now(), sms: 300, apps: 50, calls: 200 });
      const first = await sync(t, f.deviceKey, body);
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({
        customer_id: 'CUST-1',
        batch_id: 'batch-1',
        replayed: false,
        stored: {
          sms: 300,
          sms_duplicates: 0,
          apps: 50,
          calls: 200,
          contacts: true,
          device: true,
          locations: 10,
          permissions: 3,
        },
      });
      // Before the job ran, or after: either in progress or complete, never anything else.
      const early = await predictors(t, f, 'CUST-1');
      expect([200, 202]).toContain(early.statusCode);
      if (early.statusCode === 202) {
        expect(early.json()).toEqual({
          customer_id: 'CUST-1',
          request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
          date_requested: expect.stringMatching(TS),
          status: 'in_progress',
          message: 'Featurization in Progress, please try again in 10 Seconds',
        });
      }
      await t.ctx.queue.drain();
      const done = await predictors(t, f, 'CUST-1');
      expect(done.statusCode).toBe(200);
      const b = done.json();
      expect(b).toMatchObject({
        customer_id: 'CUST-1',
        status: 'complete',
        message: 'data processed successfully',
      });
      expect(b.date_requested).toMatch(TS);
      expect(b.date_processed).toMatch(TS);
      expect(b.data.map((p: { name: string }) => p.name)).toEqual(PREDICTORS_V1.map((p) => p.name));
      const v = Object.fromEntries(b.data.map((p: { name: string; value: unknown }) => [p.name, p.value]));
      expect(v.all_sms_count).toBe(300);
      expect(v.cnt_apps).toBeGreaterThan(0);
      expect(v.brand).toBe('samsung');
      // Version 2 is the same data with more predictors; the staging path answers alike.
      const v2 = await predictors(t, f, 'CUST-1', { version: 2, path: '/staging/risk/predictors' });
      expect(v2.statusCode).toBe(200);
      expect(v2.json().data.slice(0, b.data.length)).toEqual(b.data);
    });

    it('accepts a repeated batch id once and stores each SMS once', async () => {
      const f = await finboxTenant(t, 'acme');
      const body = syntheticSync({ customerId: 'C2', now: Date.now(), sms: 50 });
      expect((await sync(t, f.deviceKey, body)).statusCode).toBe(201);
      const again = await sync(t, f.deviceKey, body);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ replayed: true, stored: { sms: 50 } });
      const overlap = await sync(t, f.deviceKey, {
        ...body,
        batch_id: 'batch-2',
        sms: [...body.sms!.slice(0, 20), { sender: 'X', body: 'new', timestamp: 1 }],
      });
      expect(overlap.statusCode).toBe(201);
      expect(overlap.json().stored).toMatchObject({ sms: 1, sms_duplicates: 20 });
    });

    it('refuses half a surrogate pair in an id with a 400, not a failure of its own', async () => {
      const f = await finboxTenant(t, 'acme');
      const res = await sync(t, f.deviceKey, { customer_id: 'C\ud800', batch_id: 'b', contacts_count: 1 });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'CREDENCE_INVALID_JSON', field: 'customer_id' });
    });

    it('answers not_found for a customer that never synced, and no_data for one with nothing to read', async () => {
      const f = await finboxTenant(t, 'acme');
      const nf = await predictors(t, f, 'NOBODY');
      expect(nf.statusCode).toBe(200);
      expect(nf.json()).toMatchObject({
        customer_id: 'NOBODY',
        status: 'not_found',
        message: 'User not found',
        data: null,
        date_processed: null,
      });
      await sync(t, f.deviceKey, { customer_id: 'EMPTY', batch_id: 'b', device: { brand: 'x' } });
      await predictors(t, f, 'EMPTY');
      await t.ctx.queue.drain();
      const nd = await predictors(t, f, 'EMPTY');
      expect(nd.statusCode).toBe(200);
      expect(nd.json()).toMatchObject({
        status: 'no_data',
        message: 'No data available for user',
        data: null,
      });
      expect(nd.json().date_processed).toMatch(TS);
    });

    it('recomputes after a new sync: the cache is per data watermark', async () => {
      const f = await finboxTenant(t, 'acme');
      await sync(t, f.deviceKey, syntheticSync({ customerId: 'C3', now: Date.now(), sms: 10 }));
      await t.ctx.queue.drain();
      const count = async () =>
        (await predictors(t, f, 'C3')).json().data?.find((p: { name: string }) => p.name === 'all_sms_count')
          ?.value;
      expect(await count()).toBe(10);
      await sync(t, f.deviceKey, {
        customer_id: 'C3',
        batch_id: 'b2',
        sms: [{ sender: 'A', body: 'hello', timestamp: Date.now() - 1000 }],
      });
      await t.ctx.queue.drain();
      expect(await count()).toBe(11);
    });
  });
}

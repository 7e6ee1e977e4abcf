import { afterEach, describe, expect, it, vi } from 'vitest';
import { syntheticSync } from '../../../../test/fixtures/device-sync.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ManualClock } from '../../../../test/helpers/clock.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { finboxTenant, predictors, sync } from '../../../../test/helpers/finbox.js';
import { WebhookReceiver } from '../../../../test/helpers/webhook-receiver.js';
import { PREDICTOR_VERSIONS } from '../../../domain/features/predictors/registry.js';
import { FEATURIZE_JOB } from '../../../services/device/device-sync.js';

for (const engine of ENGINES) {
  describe(`DeviceConnect, a featurization that fails [${engine}]`, () => {
    let t: TestApp;
    const receiver = new WebhookReceiver();
    afterEach(async () => {
      await t.close();
      await receiver.stop();
    });

    const jobs = () =>
      t.ctx.database.db
        .selectFrom('jobs')
        .select(['dedupe_key', 'status'])
        .where('name', '=', FEATURIZE_JOB)
        .orderBy('created_at')
        .execute();

    /** Runs the due jobs, moving the clock past each retry's backoff, until every one has settled. */
    async function settle(clock: ManualClock): Promise<void> {
      for (let i = 0; i < 100; i++) {
        await t.ctx.queue.drain();
        if ((await jobs()).every((j) => j.status === 'failed' || j.status === 'completed')) return;
        clock.advance(1000);
      }
      throw new Error('the featurization jobs did not settle');
    }

    it('is started again by a request, once a minute, and answers once the fault has passed', async () => {
      const clock = new ManualClock('2026-12-05T12:00:00.000Z');
      // The embedded queue on both engines: it schedules retries by the service's clock, which the
      // test moves; pg-boss schedules them by the database's (its failures: pgboss-queue.test.ts).
      t = await createTestApp(engine, { clock, config: { queueBackend: 'embedded' } });
      const f = await finboxTenant(t, 'acme');
      const down = vi
        .spyOn(t.ctx.device.features, 'snapshot')
        .mockRejectedValue(new Error('the database is unreachable'));
      const synced = await sync(
        t,
        f.deviceKey,
        syntheticSync({ customerId: 'F1', now: clock.now().getTime(), sms: 5 }),
      );
      expect(synced.statusCode, synced.body).toBe(201);
      await settle(clock);
      expect((await jobs()).map((j) => j.status)).toEqual(['failed']);

      // The next minute, a request starts it again and is told to come back.
      clock.advance(Date.parse('2026-12-05T12:01:00.000Z') - clock.now().getTime());
      const restarted = await predictors(t, f, 'F1');
      expect(restarted.statusCode).toBe(202);
      expect(restarted.json()).toMatchObject({ status: 'in_progress' });
      expect(await jobs()).toHaveLength(2);

      // That attempt fails too: within the same minute the request fails, as the vendor's 500 does.
      await settle(clock);
      expect(clock.now().toISOString() < '2026-12-05T12:02:00.000Z').toBe(true);
      const failed = await predictors(t, f, 'F1');
      expect(failed.statusCode).toBe(500);
      expect(failed.json()).toEqual({
        status: 'error',
        message: 'Internal Server Error. Please retry. If issue persists, please contact support',
      });
      expect(await jobs()).toHaveLength(2);

      // The fault passes; the next minute's request starts it again, and it completes.
      down.mockRestore();
      clock.advance(Date.parse('2026-12-05T12:02:00.000Z') - clock.now().getTime());
      expect((await predictors(t, f, 'F1')).statusCode).toBe(202);
      await settle(clock);
      const done = await predictors(t, f, 'F1');
      expect(done.statusCode).toBe(200);
      expect(done.json()).toMatchObject({ status: 'complete', customer_id: 'F1' });
      expect((await jobs()).map((j) => j.status)).toEqual(['failed', 'failed', 'completed']);
    });

    it('featurizes data again for a release that adds a version, without a second webhook', async () => {
      await receiver.start();
      t = await createTestApp(engine, { config: { queueBackend: 'embedded' } });
      const f = await finboxTenant(t, 'acme', { webhookUrl: receiver.url });
      await sync(t, f.deviceKey, syntheticSync({ customerId: 'N1', now: Date.now(), sms: 5 }));
      await t.ctx.queue.drain();
      await receiver.waitFor(1);
      // Roll the customer back to how the release before this one left it: version 1 stored, and
      // the featurization job of that release (whose newest version was 1) completed.
      const db = t.ctx.database.db;
      const latest = PREDICTOR_VERSIONS.at(-1)!;
      await db.deleteFrom('device_predictors').where('version', '=', latest).execute();
      const [job] = await jobs();
      await db
        .updateTable('jobs')
        .set({ dedupe_key: job!.dedupe_key!.replace(/:v\d+$/, `:v${latest - 1}`) })
        .where('name', '=', FEATURIZE_JOB)
        .execute();
      const notices = async () =>
        (await db.selectFrom('finbox_notices').select('request_id').execute()).length;
      expect(await notices()).toBe(1);

      const first = await predictors(t, f, 'N1', { version: latest });
      expect(first.statusCode).toBe(202);
      await t.ctx.queue.drain();
      const r = await predictors(t, f, 'N1', { version: latest });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ status: 'complete', customer_id: 'N1' });
      expect((await predictors(t, f, 'N1', { version: 1 })).statusCode).toBe(200);
      expect(await notices()).toBe(1);
      expect(receiver.received).toHaveLength(1);
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSync } from '../../../test/fixtures/device-sync.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { consumer, operatorWith, POSTPAID, retrieve, twoLeggedToken } from '../../../test/helpers/camara.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { finboxTenant, sync } from '../../../test/helpers/finbox.js';
import { loadConfig } from '../../config.js';
import { CompositeScoreService } from '../../services/composite-score.js';

/** The standard scaling written out independently: 600 at odds 50:1, 20 points per doubling. */
const points = (pd: number) => Math.round(600 + (20 / Math.LN2) * Math.log((1 - pd) / pd / 50));
const logit = (pd: number) => Math.log(pd / (1 - pd));

for (const engine of ENGINES) {
  describe(`GET /api/v1/subjects/{id}/composite-score [${engine}]`, () => {
    let t: TestApp;
    let key: string;
    let subjectId: string;
    const depositRuns: string[] = [];
    const get = (k: string, id: string) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/subjects/${id}/composite-score`,
        headers: { authorization: `Bearer ${k}` },
      });

    beforeAll(async () => {
      t = await createTestApp(engine);
      const f = await finboxTenant(t, 'acme');
      key = await t.key('acme');
      await finboxTenant(t, 'other');
      await sync(t, f.deviceKey, syntheticSync({ customerId: 'P1', now: Date.now(), sms: 100 }));
      const device = await t.app.inject({
        method: 'POST',
        url: '/api/v1/device-score',
        headers: { authorization: `Bearer ${key}` },
        payload: { customer_id: 'P1' },
      });
      expect(device.statusCode).toBe(200);
      for (const amount of [100, 250]) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/cladfy/v1/deposit_score/',
          headers: { 'x-api-key': key },
          payload: {
            client_id: 'P1',
            startDate: '2024-01-01',
            endDate: '2024-03-31',
            expectedDepositDay: 1,
            expectedDepositAmount: amount,
            deposits: [{ date: '2024-01-01', amount }],
          },
        });
        expect(r.statusCode).toBe(200);
      }
      const found = await t.app.inject({
        method: 'GET',
        url: '/api/v1/subjects?partner_id=P1',
        headers: { authorization: `Bearer ${key}` },
      });
      subjectId = found.json().id;
      const runs = await t.app.inject({
        method: 'GET',
        url: `/api/v1/subjects/${subjectId}/score-runs?service=deposit_score`,
        headers: { authorization: `Bearer ${key}` },
      });
      for (const r of runs.json().runs) depositRuns.push(r.id);
    });
    afterAll(async () => t.close());

    it('combines the latest run of each service, equally weighted by default', async () => {
      const r = await get(key, subjectId);
      expect(r.statusCode).toBe(200);
      const b = r.json();
      expect(b.subject_id).toBe(subjectId);
      expect(b.scaling).toEqual({ base_score: 600, base_odds: 50, pdo: 20 });
      expect(b.components.map((c: { service: string }) => c.service).sort()).toEqual([
        'deposit_score',
        'device_score',
      ]);
      const deposit = b.components.find((c: { service: string }) => c.service === 'deposit_score');
      expect(deposit.run_id).toBe(depositRuns.at(-1));
      expect(deposit.weight).toBe(1);
      expect(deposit.model).toMatchObject({ name: expect.any(String), version: expect.any(Number) });
      const pds = b.components.map((c: { pd: number }) => c.pd) as number[];
      const mean = (logit(pds[0]!) + logit(pds[1]!)) / 2;
      expect(b.pd).toBeCloseTo(1 / (1 + Math.exp(-mean)), 10);
      expect(b.score).toBe(points(b.pd));
      expect(b.reasons.length).toBeGreaterThan(0);
      expect(b.reasons.length).toBeLessThanOrEqual(4);
      for (const reason of b.reasons) {
        const owner = b.components.find((c: { service: string }) => c.service === reason.service);
        expect(owner.reasons).toContainEqual({ code: reason.code, description: reason.description });
      }
    });

    it('follows the configured weights; a service weighted 0 is listed but left out', async () => {
      const who = { tenantId: (await t.ctx.tenants.get('acme')).id } as never;
      const only = await new CompositeScoreService(t.ctx.database.db, t.ctx.models, { deposit_score: 0 }).of(
        who,
        subjectId,
      );
      const device = only.components.find((c) => c.service === 'device_score')!;
      expect(only.components.find((c) => c.service === 'deposit_score')!.weight).toBe(0);
      expect(only.pd).toBeCloseTo(device.pd, 12);
      expect(only.score).toBe(points(device.pd));
      expect(only.reasons.every((x) => x.service === 'device_score')).toBe(true);
      const none = await new CompositeScoreService(t.ctx.database.db, t.ctx.models, {
        deposit_score: 0,
        device_score: 0,
      }).of(who, subjectId);
      expect(none).toMatchObject({ score: null, pd: null, reasons: [] });
    });

    it('has no score for a subject without runs', async () => {
      // A device sync makes the subject; nothing has scored it yet.
      const f = await finboxTenant(t, 'third');
      await sync(t, f.deviceKey, syntheticSync({ customerId: 'P2', now: Date.now(), sms: 5 }));
      const thirdKey = await t.key('third');
      const found = await t.app.inject({
        method: 'GET',
        url: '/api/v1/subjects?partner_id=P2',
        headers: { authorization: `Bearer ${thirdKey}` },
      });
      const r = await get(thirdKey, found.json().id);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ score: null, pd: null, components: [], reasons: [] });
    });

    it('combines the telco_score runs of CAMARA, weighted as CREDENCE_COMPOSITE_WEIGHTS says', async () => {
      const op = await operatorWith(t, 'operator');
      const token = await twoLeggedToken(t, await consumer(t, 'operator'));
      const scored = await retrieve(t, 'v0.3rc1', token, { phoneNumber: POSTPAID.phone_number });
      expect(scored.statusCode).toBe(200);
      const subscriber = (await t.ctx.telco.subscribers.byPhone(op.tenantId, POSTPAID.phone_number))!;
      const found = await t.app.inject({
        method: 'GET',
        url: `/api/v1/subjects?partner_id=${subscriber.id}`,
        headers: { authorization: `Bearer ${op.key}` },
      });
      const id = found.json().id;
      const r = (await get(op.key, id)).json();
      expect(r.components.map((c: { service: string }) => c.service)).toEqual(['telco_score']);
      expect(r.score).toBe(points(r.components[0].pd));
      // The service the composite shows can be weighted like the others, 0 included.
      const weights = loadConfig({ CREDENCE_COMPOSITE_WEIGHTS: 'telco_score=0' }).compositeWeights;
      const left = await new CompositeScoreService(t.ctx.database.db, t.ctx.models, weights).of(
        { tenantId: op.tenantId } as never,
        id,
      );
      expect(left).toMatchObject({ score: null, pd: null, reasons: [] });
      expect(left.components.map((c) => [c.service, c.weight])).toEqual([['telco_score', 0]]);
    });

    it("is 404 for another tenant's subject and 403 without subjects:read", async () => {
      const other = await get(await t.key('other'), subjectId);
      expect(other.statusCode).toBe(404);
      expect(JSON.stringify(other.json())).not.toContain('deposit_score');
      expect((await get(key, 'sub_unknown')).statusCode).toBe(404);
      // However long the id, it is an unknown subject, told in the API's own words.
      const long = await get(key, `sub_${'x'.repeat(5000)}`);
      expect(long.statusCode).toBe(404);
      expect(long.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(long.json()).toMatchObject({ code: 'CREDENCE_NOT_FOUND' });
      expect((await get(await t.key('acme', ['scores:write']), subjectId)).statusCode).toBe(403);
    });
  });
}

/**
 * Every /finbox answer lists its keys in the order of the vendor's examples (a client that reads
 * the body as text, or compares it, sees what it would see from the vendor).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { syntheticSync } from '../../../../test/fixtures/device-sync.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { type FinboxTenant, finboxTenant, predictors, sync } from '../../../../test/helpers/finbox.js';

// From the seed's examples, in order.
const HEAD = ['customer_id', 'request_id', 'date_requested'];
const IN_PROGRESS = [...HEAD, 'status', 'message'];
const PROCESSED = [...HEAD, 'date_processed', 'status', 'message', 'data'];
const BAD_REQUEST = [...HEAD, 'status', 'message'];
const ERROR = ['status', 'message'];

/** The keys of the body's top-level object, as they appear in the text. */
const keysOf = (body: string) => Object.keys(JSON.parse(body) as object);

describe('DeviceConnect key order', () => {
  let t: TestApp;
  let f: FinboxTenant;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { startWorkers: false, config: { finboxRateLimit: 1000 } });
    f = await finboxTenant(t, 'acme');
  });
  afterAll(async () => t.close());

  it('in_progress, then complete with name and value in each predictor', async () => {
    await sync(t, f.deviceKey, syntheticSync({ customerId: 'C1', now: Date.now(), sms: 20 }));
    const pending = await predictors(t, f, 'C1');
    expect(pending.statusCode).toBe(202);
    expect(keysOf(pending.body)).toEqual(IN_PROGRESS);
    t.ctx.queue.start();
    await t.ctx.queue.drain();
    for (let i = 0; i < 2; i++) {
      // The second answer comes from what the first cached.
      const done = await predictors(t, f, 'C1');
      expect(done.json().status).toBe('complete');
      expect(keysOf(done.body)).toEqual(PROCESSED);
      const data = done.json().data as object[];
      expect(data.length).toBeGreaterThan(0);
      for (const p of data) expect(Object.keys(p)).toEqual(['name', 'value']);
    }
  });

  it('no_data and not_found', async () => {
    await sync(t, f.deviceKey, { customer_id: 'EMPTY', batch_id: 'b', device: { brand: 'x' } });
    await predictors(t, f, 'EMPTY');
    await t.ctx.queue.drain();
    const noData = await predictors(t, f, 'EMPTY');
    expect(noData.json().status).toBe('no_data');
    expect(keysOf(noData.body)).toEqual(PROCESSED);
    const notFound = await predictors(t, f, 'NOBODY');
    expect(notFound.json().status).toBe('not_found');
    expect(keysOf(notFound.body)).toEqual(PROCESSED);
  });

  it('400, 403, 404 and 500', async () => {
    const bad = await predictors(t, f, 'C1', { body: { customer_id: 'C1', salt: 'x' } });
    expect(bad.statusCode).toBe(400);
    expect(keysOf(bad.body)).toEqual(BAD_REQUEST);
    const denied = await predictors(t, { ...f, serverKey: 'nope' }, 'C1');
    expect(denied.statusCode).toBe(403);
    expect(keysOf(denied.body)).toEqual(ERROR);
    const route = await predictors(t, f, 'C1', { path: '/v3/risk/predictors' });
    expect(route.statusCode).toBe(404);
    expect(keysOf(route.body)).toEqual(ERROR);
    const spy = vi.spyOn(t.ctx.device.features, 'predictors').mockRejectedValueOnce(new Error('down'));
    try {
      const failed = await predictors(t, f, 'C1');
      expect(failed.statusCode).toBe(500);
      expect(keysOf(failed.body)).toEqual(ERROR);
    } finally {
      spy.mockRestore();
    }
  });

  it('429', async () => {
    const limited = await createTestApp('sqlite', { config: { finboxRateLimit: 1 } });
    try {
      const g = await finboxTenant(limited, 'acme');
      let last = await predictors(limited, g, 'C1');
      for (let i = 0; i < 3 && last.statusCode !== 429; i++) last = await predictors(limited, g, 'C1');
      expect(last.statusCode).toBe(429);
      expect(keysOf(last.body)).toEqual(ERROR);
    } finally {
      await limited.close();
    }
  });
});

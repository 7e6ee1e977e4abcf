import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { type FinboxTenant, finboxTenant, predictors, sync } from '../../../../test/helpers/finbox.js';
import { finboxSalt } from '../../../domain/finbox/salt.js';

for (const engine of ENGINES) {
  describe(`DeviceConnect, bad requests [${engine}]`, () => {
    let t: TestApp;
    let f: FinboxTenant;
    beforeAll(async () => {
      t = await createTestApp(engine, { config: { finboxRateLimit: 1000 } });
      f = await finboxTenant(t, 'acme');
    });
    afterAll(async () => t.close());

    it('names a missing key the vendor way, with the request id and time', async () => {
      const r = await predictors(t, f, 'C1', {
        body: { customer_id: 'C1', salt: finboxSalt('C1', f.serverHash) },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toEqual({
        customer_id: 'C1',
        request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        date_requested: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}:\d{3}$/),
        status: 'error',
        message: 'Missing Key version',
      });
    });

    it.each([
      [{ version: 1, salt: 's' }, 'Missing Key customer_id'],
      [{ customer_id: 'C1', version: 1 }, 'Missing Key salt'],
      [{ customer_id: 'C1', version: '1', salt: 's' }, 'Invalid type for key version, expected Integer'],
      [{ customer_id: 7, version: 1, salt: 's' }, 'Invalid type for key customer_id, expected String'],
      [{ customer_id: 'C1', version: 1.5, salt: 's' }, 'Invalid type for key version, expected Integer'],
      [{ customer_id: 'C1', version: 99, salt: 's' }, 'Invalid version 99. Supported versions: 1, 2'],
      [{ customer_id: 'C1', version: 1e23, salt: 's' }, 'Invalid type for key version, expected Integer'],
      [
        { customer_id: 'C1', version: 1, salt: '' },
        'Invalid length for key salt, expected at least 1 character',
      ],
      [[1, 2], 'Request body must be a JSON object'],
    ])('refuses %j: %s', async (body, message) => {
      const r = await predictors(t, f, 'C1', { body });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ status: 'error', message });
    });

    it('names a customer_id of the wrong length as such, and echoes it only when valid', async () => {
      const message = 'Invalid length for key customer_id, expected 1 to 260 characters';
      for (const customerId of ['', 'X'.repeat(261)]) {
        const r = await predictors(t, f, customerId, {
          body: { customer_id: customerId, version: 1, salt: 's' },
        });
        expect(r.statusCode).toBe(400);
        const body = r.json();
        expect(body).toMatchObject({ status: 'error', message });
        expect(body).not.toHaveProperty('customer_id');
      }
      // 260 characters is a customer_id: a later problem echoes it.
      const longest = 'X'.repeat(260);
      const r = await predictors(t, f, longest, { body: { customer_id: longest, salt: 's' } });
      expect(r.json()).toMatchObject({ customer_id: longest, message: 'Missing Key version' });
    });

    it('refuses a version too large to be read exactly, without echoing a rounded number', async () => {
      // The raw text: a JSON number the parser can only round.
      const r = await predictors(t, f, 'C1', {
        body: '{"customer_id":"C1","version":99999999999999999999999,"salt":"s"}',
      });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ message: 'Invalid type for key version, expected Integer' });
      // Beyond a double's range the body itself cannot be read: refused before the key order.
      const huge = await predictors(t, f, 'C1', { body: '{"version":1e400,"salt":"s"}' });
      expect(huge.statusCode).toBe(400);
      expect(huge.json()).toMatchObject({
        status: 'error',
        message: 'version is a number too large to represent',
      });
    });

    it("keeps a message within the seed's 200 characters when it names a very long key", async () => {
      const key = 'k'.repeat(300);
      const r = await predictors(t, f, 'C1', { body: `{"${key}":1e400}` });
      expect(r.statusCode).toBe(400);
      const message = r.json().message as string;
      expect(message).toHaveLength(200);
      expect(message).toBe(`${`${key} is a number too large to represent`.slice(0, 199)}…`);
    });

    it('refuses a body that is not JSON', async () => {
      const r = await predictors(t, f, 'C1', { body: '{"customer_id":' });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ status: 'error', message: 'request body is not valid JSON' });
    });

    it('refuses an unknown or missing webhook request id', async () => {
      const missing = await predictors(t, f, 'C1', { query: '?source=webhook' });
      expect(missing.json()).toMatchObject({ status: 'error', message: 'Missing Key request_id' });
      const unknown = await predictors(t, f, 'C1', { query: '?source=webhook&request_id=0123' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ message: 'Invalid or expired request_id' });
      // A parameter given twice is a list, not a request id: a 400, not a 500 to be retried.
      for (const [query, key] of [
        ['?source=webhook&request_id=a&request_id=b', 'request_id'],
        ['?source=webhook&source=webhook&request_id=a', 'source'],
      ]) {
        const twice = await predictors(t, f, 'C1', { query });
        expect(twice.statusCode, query).toBe(400);
        expect(twice.json(), query).toMatchObject({
          customer_id: 'C1',
          status: 'error',
          message: `Invalid type for key ${key}, expected String`,
        });
      }
    });

    it('refuses a device sync with a bad shape, in problem+json', async () => {
      const r = await sync(t, f.deviceKey, {
        customer_id: 'C1',
        batch_id: 'b',
        calls: [{ type: 'video', duration: 1, timestamp: 1, number_hash: 'h' }],
      });
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT' });
      const noBatch = await sync(t, f.deviceKey, { customer_id: 'C1' });
      expect(noBatch.statusCode).toBe(400);
    });

    it('answers an internal failure with the vendor message and no detail', async () => {
      const original = t.ctx.device.features.predictors.bind(t.ctx.device.features);
      t.ctx.device.features.predictors = async () => {
        throw new Error('database on fire');
      };
      try {
        const r = await predictors(t, f, 'C1');
        expect(r.statusCode).toBe(500);
        expect(r.json()).toEqual({
          status: 'error',
          message: 'Internal Server Error. Please retry. If issue persists, please contact support',
        });
      } finally {
        t.ctx.device.features.predictors = original;
      }
    });
  });
}

describe('DeviceConnect rate limit', () => {
  it('answers 429 with Retry-After over the key budget', async () => {
    const t = await createTestApp('sqlite', { config: { finboxRateLimit: 2 } });
    try {
      const f = await finboxTenant(t, 'acme');
      const codes: number[] = [];
      let last: Awaited<ReturnType<typeof predictors>> | undefined;
      for (let i = 0; i < 4; i++) {
        last = await predictors(t, f, 'C1');
        codes.push(last.statusCode);
      }
      expect(codes.slice(0, 2)).toEqual([200, 200]);
      expect(last!.statusCode).toBe(429);
      expect(last!.json()).toEqual({ status: 'error', message: 'Rate limit exceeded' });
      expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      await t.close();
    }
  });

  it('spends the budget before the body is read: unreadable bodies are limited too', async () => {
    const t = await createTestApp('sqlite', { config: { finboxRateLimit: 2 } });
    try {
      const f = await finboxTenant(t, 'acme');
      const codes: number[] = [];
      for (let i = 0; i < 3; i++)
        codes.push((await predictors(t, f, 'C1', { body: '{"customer_id":' })).statusCode);
      expect(codes).toEqual([400, 400, 429]);
    } finally {
      await t.close();
    }
  });

  it("applies a key's own rate limit over the default", async () => {
    const t = await createTestApp('sqlite', { config: { finboxRateLimit: 1000 } });
    try {
      await t.ctx.tenants.create('acme');
      const k = await t.ctx.device.finboxKeys.create({ tenant: 'acme', rateLimit: 1 });
      const f = { serverKey: k.key, serverHash: k.serverHash };
      expect((await predictors(t, f, 'C1')).statusCode).toBe(200);
      expect((await predictors(t, f, 'C1')).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });
});

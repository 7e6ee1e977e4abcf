import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { syntheticSync } from '../../../../test/fixtures/device-sync.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { type FinboxTenant, finboxTenant, predictors, sync } from '../../../../test/helpers/finbox.js';
import { finboxSalt } from '../../../domain/finbox/salt.js';

const UNAUTHORIZED = { status: 'error', message: 'Incorrect API Key' };

for (const engine of ENGINES) {
  describe(`DeviceConnect security [${engine}]`, () => {
    let t: TestApp;
    let acme: FinboxTenant;
    let other: FinboxTenant;
    beforeAll(async () => {
      t = await createTestApp(engine, { config: { finboxRateLimit: 1000 } });
      acme = await finboxTenant(t, 'acme', { ipAllow: ['10.0.0.0/8'] });
      other = await finboxTenant(t, 'other');
      await sync(t, acme.deviceKey, syntheticSync({ customerId: 'SHARED', now: Date.now(), sms: 20 }));
      await t.ctx.queue.drain();
    });
    afterAll(async () => t.close());

    it('answers 403 for a missing, wrong or revoked key', async () => {
      const keys = [undefined, 'nope', acme.deviceKey, await t.key('acme')];
      // Twice: the second time the keys' checks come from the cache, without a promise.
      for (const serverKey of [...keys, ...keys]) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/finbox/staging/risk/predictors',
          headers: serverKey ? { 'x-api-key': serverKey } : {},
          payload: { customer_id: 'SHARED', version: 1, salt: finboxSalt('SHARED', acme.serverHash) },
        });
        expect(r.statusCode).toBe(403);
        expect(r.json()).toEqual(UNAUTHORIZED);
      }
      const spare = await t.ctx.device.finboxKeys.create({ tenant: 'other' });
      await t.ctx.apiKeys.revoke(spare.id);
      const r = await predictors(t, { serverKey: spare.key, serverHash: spare.serverHash }, 'SHARED', {
        path: '/staging/risk/predictors',
      });
      expect(r.statusCode).toBe(403);
    });

    it('stores a server key and its SERVER_HASH in one transaction: all or nothing', async () => {
      const keysOf = () =>
        t.ctx.database.db
          .selectFrom('api_keys')
          .select('id')
          .where('type', '=', 'finbox-server')
          .execute()
          .then((rows) => rows.length);
      const before = await keysOf();
      // The SERVER_HASH is encrypted inside the transaction, after the key row is written.
      const spy = vi.spyOn(t.ctx.cipher, 'encrypt').mockImplementationOnce(() => {
        throw new Error('disk full');
      });
      try {
        await expect(t.ctx.device.finboxKeys.create({ tenant: 'other' })).rejects.toThrow('disk full');
      } finally {
        spy.mockRestore();
      }
      expect(await keysOf()).toBe(before);
      const made = await t.ctx.device.finboxKeys.create({ tenant: 'other' });
      expect(await keysOf()).toBe(before + 1);
      expect((await t.ctx.device.finboxKeys.extras(made.id))?.serverHash).toBe(made.serverHash);
    });

    it("answers 403 for a salt made with another key's SERVER_HASH", async () => {
      const r = await predictors(t, acme, 'SHARED', {
        path: '/staging/risk/predictors',
        body: { customer_id: 'SHARED', version: 1, salt: finboxSalt('SHARED', other.serverHash) },
      });
      expect(r.statusCode).toBe(403);
      expect(r.json()).toEqual(UNAUTHORIZED);
    });

    it('enforces the IP allowlist on the production path only', async () => {
      const outside = await predictors(t, acme, 'SHARED', { remoteAddress: '192.168.1.5' });
      expect(outside.statusCode).toBe(403);
      expect(outside.json()).toEqual(UNAUTHORIZED);
      const inside = await predictors(t, acme, 'SHARED', { remoteAddress: '10.1.2.3' });
      expect(inside.statusCode).toBe(200);
      const staging = await predictors(t, acme, 'SHARED', {
        remoteAddress: '192.168.1.5',
        path: '/staging/risk/predictors',
      });
      expect(staging.statusCode).toBe(200);
      // A key with no allowlist allows every address.
      expect((await predictors(t, other, 'X', { remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
    });

    it("enforces a device key's IP allowlist on device sync", async () => {
      const device = await t.ctx.apiKeys.create({ tenant: 'acme', type: 'device', ipAllow: ['10.0.0.0/8'] });
      const from = (remoteAddress: string, batch: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/device-sync',
          headers: { authorization: `Bearer ${device.key}` },
          remoteAddress,
          payload: { customer_id: 'IP1', batch_id: batch, contacts_count: 3 },
        });
      const outside = await from('127.0.0.1', 'b1');
      expect(outside.statusCode).toBe(403);
      expect(outside.headers['content-type']).toContain('application/problem+json');
      expect(outside.json()).toMatchObject({ code: 'CREDENCE_FORBIDDEN' });
      expect((await from('10.4.5.6', 'b1')).statusCode).toBe(201);
    });

    it('refuses options a key type would store and ignore', async () => {
      await expect(
        t.ctx.apiKeys.create({ tenant: 'acme', type: 'device', scopes: ['cladfy'] }),
      ).rejects.toThrow('scopes do not apply to a device key');
      await expect(t.ctx.apiKeys.create({ tenant: 'acme', type: 'device', rateLimit: 5 })).rejects.toThrow(
        'a rate limit does not apply to a device key',
      );
      await expect(t.ctx.device.finboxKeys.create({ tenant: 'acme', scopes: ['cladfy'] })).rejects.toThrow(
        'scopes do not apply to a finbox-server key',
      );
      await expect(t.ctx.apiKeys.update(acme.keyId, { ipAllow: ['10.0.0.0/8'] })).rejects.toThrow(
        "a finbox-server key's IP allowlist is set when the key is created",
      );
      // A finbox-server key's own rate limit is the one the dialect applies.
      const limited = await t.ctx.device.finboxKeys.create({ tenant: 'acme', rateLimit: 7 });
      expect(limited.rateLimit).toBe(7);
      // Neither type holds scopes, and neither is shown as holding every scope.
      expect(limited.scopes).toEqual([]);
      const device = await t.ctx.apiKeys.create({ tenant: 'acme', type: 'device' });
      expect(device.scopes).toEqual([]);
      const listed = await t.ctx.apiKeys.list('acme');
      for (const k of listed.filter((k) => k.type !== 'server')) expect(k.scopes, k.type).toEqual([]);
      expect(listed.filter((k) => k.type === 'server').every((k) => k.scopes.length > 0)).toBe(true);
      // The allowlist a finbox-server key was made with is shown with it, not null ("every address").
      expect(listed.find((k) => k.id === acme.keyId)?.ipAllow).toEqual(['10.0.0.0/8']);
      expect(listed.find((k) => k.id === limited.id)?.ipAllow).toBeNull();
    });

    it("never shows one tenant another tenant's customer", async () => {
      const mine = await predictors(t, acme, 'SHARED', { remoteAddress: '10.0.0.1' });
      expect(mine.json().status).toBe('complete');
      const theirs = await predictors(t, other, 'SHARED');
      expect(theirs.json()).toMatchObject({ status: 'not_found', data: null });
    });

    it('lets a device key sync and nothing else; a server key cannot sync', async () => {
      const native = await t.app.inject({
        method: 'GET',
        url: '/api/v1/models',
        headers: { authorization: `Bearer ${acme.deviceKey}` },
      });
      expect(native.statusCode).toBe(401);
      const viaServer = await sync(t, await t.key('acme'), { customer_id: 'Z', batch_id: 'b' });
      expect(viaServer.statusCode).toBe(401);
      const viaFinbox = await sync(t, acme.serverKey, { customer_id: 'Z', batch_id: 'b' });
      expect(viaFinbox.statusCode).toBe(401);
    });

    it('answers another method on the sync path with a 404, not a refusal of the device key', async () => {
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        const res = await t.app.inject({
          method,
          url: '/api/v1/device-sync',
          headers: { authorization: `Bearer ${acme.deviceKey}` },
        });
        expect(res.statusCode, method).toBe(404);
        expect(res.json()).toMatchObject({
          code: 'CREDENCE_ROUTE_NOT_FOUND',
          detail: `no route ${method} /api/v1/device-sync`,
        });
      }
      // Without a device key, the key is what is refused first, as on the sync itself.
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/device-sync' });
      expect(anonymous.statusCode).toBe(401);
    });

    it('keeps raw SMS text only until its retention passes, and only encrypted', async () => {
      const rows = await t.ctx.database.db.selectFrom('device_sms').select(['body', 'fact']).execute();
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.body).not.toContain('Confirmed');
        expect(r.fact).not.toContain('amount');
      }
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { createContext } from '../../../context.js';

const DEPOSIT = {
  client_id: 'shared-id',
  startDate: '2024-01-01',
  endDate: '2024-02-28',
  expectedDepositDay: 5,
  expectedDepositAmount: 100,
  deposits: [],
};

for (const engine of ENGINES) {
  describe(`Cladfy dialect on ${engine}: security`, () => {
    let t: TestApp;
    let a: string;
    let b: string;
    const call = (apiKey: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({
        method,
        url: `/cladfy/v1/${url}`,
        headers: { 'x-api-key': apiKey },
        ...(payload ? { payload } : {}),
      });

    beforeAll(async () => {
      t = await createTestApp(engine);
      a = (await t.tenantWithKey('tenant-a')).key;
      b = (await t.tenantWithKey('tenant-b')).key;
    });
    afterAll(async () => t?.close());

    it("never shows one tenant's client_data to another, even for the same client_id", async () => {
      for (const service of ['demographic_score', 'deposit_score', 'repayment_score'] as const) {
        const body =
          service === 'demographic_score'
            ? { client_id: 'shared-id', secret: 'only-for-a' }
            : service === 'deposit_score'
              ? { ...DEPOSIT, secret: 'only-for-a' }
              : {
                  client_id: 'shared-id',
                  paymentStartDate: '2024-01-01',
                  paymentEndDate: '2024-02-28',
                  expectedPaymentDay: 1,
                  expectedPaymentAmount: 10,
                  payments: [],
                  secret: 'only-for-a',
                };
        expect((await call(a, 'POST', `${service}/`, body)).statusCode).toBe(200);
        const seenByB = await call(b, 'GET', `client_data/?client_id=shared-id&service=${service}`);
        expect(seenByB.statusCode).toBe(200);
        expect(seenByB.json()).toEqual([]);
        const seenByA = await call(a, 'GET', `client_data/?client_id=shared-id&service=${service}`);
        expect(seenByA.json()).toHaveLength(1);
        expect(seenByA.body).toContain('only-for-a');
      }
      // B scoring the same client_id starts B's own history, which A does not see either.
      await call(b, 'POST', 'deposit_score/', { ...DEPOSIT, secret: 'only-for-b' });
      const aHistory = await call(a, 'GET', 'client_data/?client_id=shared-id&service=deposit_score');
      expect(aHistory.json()).toHaveLength(1);
      expect(aHistory.body).not.toContain('only-for-b');
    });

    it('refuses a service the key has no scope for, and allows the one it has', async () => {
      const depositsOnly = await t.key('tenant-a', ['cladfy:deposit_score']);
      const refused = await call(depositsOnly, 'POST', 'demographic_score/', { client_id: 'x' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toEqual({ error: 'this credential lacks the scope cladfy:demographic_score' });
      expect((await call(depositsOnly, 'POST', 'deposit_score/', DEPOSIT)).statusCode).toBe(200);
      expect(
        (await call(depositsOnly, 'GET', 'client_data/?client_id=x&service=repayment_score')).statusCode,
      ).toBe(403);
      expect(
        (await call(depositsOnly, 'GET', 'client_data/?client_id=x&service=deposit_score')).statusCode,
      ).toBe(200);
      const nativeOnly = await t.key('tenant-a', ['models:read']);
      expect((await call(nativeOnly, 'POST', 'deposit_score/', DEPOSIT)).statusCode).toBe(403);
      // The scope is checked with the key, before the body: a key that may not call the service
      // learns that first, whatever it sent.
      for (const body of [{}, { client_id: 'x', age: 'old' }]) {
        const r = await call(depositsOnly, 'POST', 'demographic_score/', body);
        expect(r.statusCode, JSON.stringify(body)).toBe(403);
      }
      const malformed = await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/repayment_score/',
        headers: { 'x-api-key': depositsOnly, 'content-type': 'application/json' },
        payload: '{"client_id":',
      });
      expect(malformed.statusCode).toBe(403);
      expect(malformed.json()).toEqual({ error: 'this credential lacks the scope cladfy:repayment_score' });
    });

    it('refuses a key of another credential type', async () => {
      const device = await t.ctx.apiKeys.create({ tenant: 'tenant-a', type: 'device' });
      const res = await call(device.key, 'POST', 'deposit_score/', DEPOSIT);
      expect(res.statusCode).toBe(401);
    });

    it('stops a key revoked by another process (the CLI) within one second', async () => {
      const k = await t.key('tenant-a');
      expect((await call(k, 'POST', 'deposit_score/', DEPOSIT)).statusCode).toBe(200);
      // A second context on the same database stands for `credence key revoke` run elsewhere.
      const cli = await createContext(t.db.config);
      try {
        await cli.apiKeys.revoke(k);
      } finally {
        await cli.close();
      }
      const started = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - started < 3000) {
        status = (await call(k, 'POST', 'deposit_score/', DEPOSIT)).statusCode;
        if (status === 200) await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe(401);
      expect(Date.now() - started).toBeLessThanOrEqual(1100);
    });

    it('stops a key revoked in this process at once', async () => {
      const k = await t.key('tenant-a');
      expect((await call(k, 'POST', 'deposit_score/', DEPOSIT)).statusCode).toBe(200);
      // Pasted with the spaces around it, as the admin keys' revoke takes it too.
      await t.ctx.apiKeys.revoke(` ${k} `);
      expect((await call(k, 'POST', 'deposit_score/', DEPOSIT)).statusCode).toBe(401);
    });
  });
}

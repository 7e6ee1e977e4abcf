import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testScorecard } from '../../../test/fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`native API on ${engine}: tenant isolation`, () => {
    let t: TestApp;
    let a: string;
    let b: string;
    let modelA: string;
    let subjectA: string;
    const api = (
      k: string,
      method: 'GET' | 'POST',
      url: string,
      payload?: unknown,
      headers: Record<string, string> = {},
    ) =>
      t.app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${k}`, ...headers },
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });

    beforeAll(async () => {
      t = await createTestApp(engine);
      a = (await t.tenantWithKey('tenant-a')).key;
      b = (await t.tenantWithKey('tenant-b')).key;
      modelA = (await api(a, 'POST', '/models', { ...testScorecard(), name: 'A private model' })).json().model
        .id;
      await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/deposit_score/',
        headers: { 'x-api-key': a },
        payload: {
          client_id: 'p-1',
          phone: '+2348031234567',
          startDate: '2024-01-01',
          endDate: '2024-02-01',
          expectedDepositDay: 1,
          expectedDepositAmount: 1,
          deposits: [],
        },
      });
      subjectA = (await api(a, 'GET', '/subjects?partner_id=p-1')).json().id;
    });
    afterAll(async () => t?.close());

    it("does not list, show, activate or deactivate another tenant's model", async () => {
      const listed = (await api(b, 'GET', '/models')).json().models.map((m: { id: string }) => m.id);
      expect(listed).not.toContain(modelA);
      expect((await api(b, 'GET', `/models/${modelA}`)).statusCode).toBe(404);
      expect((await api(b, 'POST', `/models/${modelA}/activate`, {})).statusCode).toBe(404);
      expect((await api(b, 'POST', `/models/${modelA}/deactivate`)).statusCode).toBe(404);
    });

    it("does not let a tenant end another tenant's challenge", async () => {
      const challenger = (
        await api(a, 'POST', '/models', { ...testScorecard(), name: 'A challenger' })
      ).json().model.id;
      expect(
        (await api(a, 'POST', `/models/${challenger}/activate`, { role: 'challenger' })).statusCode,
      ).toBe(200);
      expect((await api(b, 'POST', `/models/${challenger}/deactivate`)).statusCode).toBe(404);
      expect((await api(a, 'GET', `/models/${challenger}`)).json().roles).toEqual(['challenger']);
      expect((await api(a, 'POST', `/models/${challenger}/deactivate`)).json().roles).toEqual([]);
    });

    it("does not show another tenant's subjects or their history", async () => {
      expect((await api(b, 'GET', `/subjects/${subjectA}`)).statusCode).toBe(404);
      expect((await api(b, 'GET', '/subjects?partner_id=p-1')).statusCode).toBe(404);
      expect((await api(b, 'GET', '/subjects?phone=%2B2348031234567')).statusCode).toBe(404);
      expect((await api(a, 'GET', '/subjects?phone=%2B2348031234567')).json().id).toBe(subjectA);
      expect((await api(b, 'GET', `/subjects/${subjectA}/score-runs`)).statusCode).toBe(404);
      expect((await api(a, 'GET', `/subjects/${subjectA}/score-runs`)).json().runs).toHaveLength(1);
    });

    it('keeps Idempotency-Keys per tenant', async () => {
      const first = await api(
        a,
        'POST',
        '/models',
        { ...testScorecard(), name: 'A idem' },
        { 'idempotency-key': 'same' },
      );
      const other = await api(
        b,
        'POST',
        '/models',
        { ...testScorecard(), name: 'B idem' },
        { 'idempotency-key': 'same' },
      );
      expect(first.statusCode).toBe(201);
      expect(other.statusCode).toBe(201);
      expect(other.headers['idempotent-replayed']).toBeUndefined();
      expect(other.json().model.tenant_id).not.toBe(first.json().model.tenant_id);
    });

    it("does not let a tenant's activation change another tenant's champion", async () => {
      const mine = (
        await api(a, 'POST', '/models?activate=true', { ...testScorecard(), name: 'A champion' })
      ).json().model;
      expect(mine.roles).toEqual(['champion']);
      const seenByB = (await api(b, 'GET', '/models?service=demographic_score')).json().models;
      expect(seenByB.find((m: { source: string }) => m.source === 'starter').roles).toEqual(['champion']);
    });
  });
}

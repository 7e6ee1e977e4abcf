import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`GET /api/v1/models/{id}/performance on ${engine}: bad input`, () => {
    let t: TestApp;
    let key: string;
    let model: string;
    const get = (url: string) =>
      t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: `Bearer ${key}` } });

    beforeAll(async () => {
      t = await createTestApp(engine);
      ({ key } = await t.tenantWithKey('acme'));
      model = (await get('/models?service=demographic_score')).json().models[0].id;
    });
    afterAll(async () => t?.close());

    it('400 naming the query field at fault', async () => {
      for (const [query, field] of [
        ['window_days=0', 'window_days'],
        ['recent_days=abc', 'recent_days'],
        ['window_days=0x1e', 'window_days'],
        ['recent_days=1e1', 'recent_days'],
        ['from=yesterday', 'from'],
        ['from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z', 'from'],
      ] as const) {
        const res = await get(`/models/${model}/performance?${query}`);
        expect(res.statusCode, query).toBe(400);
        expect(res.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field });
      }
    });

    it('reads a date-time its schema admits, lower-case t and z included (RFC 3339)', async () => {
      const upper = await get(
        `/models/${model}/performance?from=2024-01-01T00:00:00Z&to=2024-02-01T12:00:00Z`,
      );
      const lower = await get(
        `/models/${model}/performance?from=2024-01-01t00:00:00z&to=2024-02-01t12:00:00z`,
      );
      expect(lower.statusCode, lower.body).toBe(200);
      expect(lower.json().period).toEqual(upper.json().period);
      expect(lower.json().period).toEqual({
        from: '2024-01-01T00:00:00.000Z',
        to: '2024-02-01T12:00:00.000Z',
      });
    });

    it('404 for a model that does not exist', async () => {
      const res = await get('/models/mdl_nope/performance');
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('CREDENCE_NOT_FOUND');
    });
  });
}

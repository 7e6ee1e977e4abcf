import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testScorecard } from '../../../test/fixtures/test-scorecard.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

// Making a model champion fails when the test says so: after the upload's version is inserted.
const failActivation = vi.hoisted(() => ({ on: false }));
vi.mock('../../db/repositories/model.repository.js', async (original) => {
  const actual = await original<typeof import('../../db/repositories/model.repository.js')>();
  return {
    ...actual,
    setActiveModel: vi.fn(async (...args: Parameters<typeof actual.setActiveModel>) => {
      if (failActivation.on) throw new Error('the activation failed');
      return actual.setActiveModel(...args);
    }),
  };
});

for (const engine of ENGINES) {
  describe(`POST /api/v1/models?activate=true on ${engine}: stored and champion, or neither`, () => {
    let t: TestApp;
    let key: string;
    beforeAll(async () => {
      t = await createTestApp(engine);
      key = (await t.tenantWithKey('acme')).key;
    });
    afterAll(async () => t?.close());
    const upload = (doc: object) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/models?activate=true',
        headers: { authorization: `Bearer ${key}` },
        payload: doc,
      });
    const models = async () =>
      (
        await t.app.inject({
          url: '/api/v1/models?service=demographic_score',
          headers: { authorization: `Bearer ${key}` },
        })
      ).json().models as { id: string; source: string; roles: string[] }[];

    it('stores nothing when the activation fails, and both when it succeeds', async () => {
      const before = await models();
      failActivation.on = true;
      const failed = await upload({ ...testScorecard(), name: 'Half a write?' });
      failActivation.on = false;
      expect(failed.statusCode).toBe(500);
      expect(await models()).toEqual(before);
      const audit = await t.ctx.database.db.selectFrom('audit_log').select('action').execute();
      expect(audit.map((a) => a.action)).not.toContain('model.add');

      const done = await upload({ ...testScorecard(), name: 'Half a write?' });
      expect(done.statusCode).toBe(201);
      expect(done.json().model.roles).toEqual(['champion']);
      const after = await models();
      expect(after.find((m) => m.id === done.json().model.id)?.roles).toEqual(['champion']);
      expect(after.filter((m) => m.roles.includes('champion'))).toHaveLength(1);
    });
  });
}

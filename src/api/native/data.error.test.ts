import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`a subject's data records on ${engine}: refused input`, () => {
    let t: TestApp;
    let key: string;
    let subject: string;
    beforeAll(async () => {
      t = await createTestApp(engine);
      key = (await t.tenantWithKey('acme')).key;
      await t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': key },
        payload: { client_id: 'c-1', age: 30 },
      });
      subject = (
        await t.app.inject({
          url: '/api/v1/subjects?partner_id=c-1',
          headers: { authorization: `Bearer ${key}` },
        })
      ).json().id;
    });
    afterAll(async () => t?.close());

    it('refuses an IP address that is only spaces, as an empty one, and stores nothing', async () => {
      for (const ip of ['', '   ', '\t']) {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/v1/subjects/${subject}/data/ip-address`,
          headers: { authorization: `Bearer ${key}` },
          payload: { ip },
        });
        expect(res.statusCode, JSON.stringify(ip)).toBe(400);
        expect(res.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'ip' });
      }
      const rows = await t.ctx.database.db.selectFrom('subject_data').select('id').execute();
      expect(rows).toEqual([]);
    });

    it('refuses an account creation date that is no ISO 8601 date or is still ahead, and stores nothing', async () => {
      const future = new Date(Date.now() + 2 * 86_400_000).toISOString();
      for (const account_created_at of ['0', '12', '2021-02-30', 'last year', 1_600_000_000, future]) {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/v1/subjects/${subject}/data/social/twitter`,
          headers: { authorization: `Bearer ${key}` },
          payload: { token_valid: true, account_created_at },
        });
        expect(res.statusCode, String(account_created_at)).toBe(400);
        expect(res.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'account_created_at' });
      }
      const rows = await t.ctx.database.db.selectFrom('subject_data').select('id').execute();
      expect(rows).toEqual([]);
      const ok = await t.app.inject({
        method: 'POST',
        url: `/api/v1/subjects/${subject}/data/social/twitter`,
        headers: { authorization: `Bearer ${key}` },
        payload: { token_valid: true, account_created_at: '2015-03-21' },
      });
      expect(ok.statusCode).toBe(201);
      // Today east of UTC may be tomorrow's date in UTC.
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const today = await t.app.inject({
        method: 'POST',
        url: `/api/v1/subjects/${subject}/data/social/twitter`,
        headers: { authorization: `Bearer ${key}` },
        payload: { token_valid: true, account_created_at: tomorrow },
      });
      expect(today.statusCode, tomorrow).toBe(201);
    });
  });
}

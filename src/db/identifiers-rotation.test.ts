import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { ENGINES } from '../../test/helpers/databases.js';
import { buildApp } from '../app.js';

const NEW_KEY = randomBytes(32).toString('base64');
const PHONE = '+254712345678';

for (const engine of ENGINES) {
  describe(`identifiers scored again while the secret key is rotated [${engine}]`, () => {
    let t: TestApp;
    let rotating: FastifyInstance;
    let key: string;
    const score = (app: FastifyInstance, clientId: string) =>
      app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': key },
        payload: { client_id: clientId, age: 30, phone: PHONE },
      });
    const subject = async (app: FastifyInstance, query: string) =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/subjects?${query}`,
          headers: { authorization: `Bearer ${key}` },
        })
      ).json();

    beforeAll(async () => {
      t = await createTestApp(engine);
      ({ key } = await t.tenantWithKey('lender'));
      expect((await score(t.app, 'first')).statusCode).toBe(200);
      // A process of step 1 of a rotation: the new key first, the old one still read.
      rotating = await buildApp(
        { ...t.db.config, secretKey: `${NEW_KEY},${t.db.config.secretKey}` },
        { logger: false, queue: { pollIntervalMs: 20 } },
      );
      await rotating.ready();
    });
    afterAll(async () => {
      await rotating?.close();
      await t?.close();
    });

    it('leaves a phone attached under the old key with its subject, as without a rotation', async () => {
      expect((await score(rotating, 'second')).statusCode).toBe(200);
      const rows = await t.ctx.database.db
        .selectFrom('subject_identifiers')
        .select('subject_id')
        .where('kind', '=', 'phone')
        .execute();
      expect(rows).toHaveLength(1);
      const second = await subject(rotating, 'partner_id=second');
      expect(second.identifiers).toEqual([]);
      expect((await subject(rotating, `phone=${encodeURIComponent(PHONE)}`)).partner_id).toBe('first');
    });
  });
}

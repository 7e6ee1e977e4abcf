import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  type Consumer,
  consumer,
  operatorWith,
  POSTPAID,
  PREPAID,
  retrieve,
  threeLeggedToken,
  twoLeggedToken,
} from '../../../test/helpers/camara.js';
import { ManualClock } from '../../../test/helpers/clock.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`erasing a telco subscriber on ${engine}`, () => {
    let t: TestApp;
    let a: { tenantId: string; key: string };
    let c: Consumer;
    let twoLegged: string;
    const clock = new ManualClock('2026-11-21T10:00:00Z');

    beforeAll(async () => {
      t = await createTestApp(engine, { clock });
      a = await operatorWith(t, 'operator-a');
      c = await consumer(t, 'operator-a');
      twoLegged = await twoLeggedToken(t, c);
    });
    afterAll(async () => t?.close());

    const erase = (key: string, phone: string) =>
      t.app.inject({
        method: 'DELETE',
        url: `/api/v1/telco/subscribers/${encodeURIComponent(phone)}`,
        headers: { authorization: `Bearer ${key}` },
      });

    it('refuses a number not in E.164 form, an unknown one, another tenant and a key without telco:write', async () => {
      const bad = await erase(a.key, '0712345678');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'phone_number' });
      const unknown = await erase(a.key, '+254799000000');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'CREDENCE_NOT_FOUND' });
      const b = await t.tenantWithKey('operator-b');
      expect((await erase(b.key, POSTPAID.phone_number)).statusCode).toBe(404);
      const readOnly = await t.key('operator-a', ['models:read']);
      expect((await erase(readOnly, POSTPAID.phone_number)).statusCode).toBe(403);
      expect(await t.ctx.telco.subscribers.byPhone(a.tenantId, POSTPAID.phone_number)).toBeDefined();
    });

    it('deletes the subscriber, their consents, authentication requests and score runs, and nobody else’s', async () => {
      const threeLegged = await threeLeggedToken(t, c, POSTPAID.phone_number);
      expect((await retrieve(t, 'v0.3rc1', threeLegged)).statusCode).toBe(200);
      expect(
        (await retrieve(t, 'v0.3rc1', twoLegged, { phoneNumber: POSTPAID.phone_number })).statusCode,
      ).toBe(200);
      expect(
        (await retrieve(t, 'v0.3rc1', twoLegged, { phoneNumber: PREPAID.phone_number })).statusCode,
      ).toBe(200);
      const granted = await t.app.inject({
        method: 'POST',
        url: '/api/v1/telco/consents',
        headers: { authorization: `Bearer ${a.key}` },
        payload: { phone_number: POSTPAID.phone_number, client_id: c.clientId },
      });
      expect(granted.statusCode).toBeLessThan(300);
      const subscriber = (await t.ctx.telco.subscribers.byPhone(a.tenantId, POSTPAID.phone_number))!;
      const other = (await t.ctx.telco.subscribers.byPhone(a.tenantId, PREPAID.phone_number))!;
      const db = t.ctx.database.db;
      const consents = await db
        .selectFrom('telco_consents')
        .select('id')
        .where('subscriber_id', '=', subscriber.id)
        .execute();
      expect(consents.length).toBeGreaterThan(0);

      // `+` as it is in the path works as well as %2B.
      const res = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/telco/subscribers/${POSTPAID.phone_number}`,
        headers: { authorization: `Bearer ${a.key}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        subscriber_id: subscriber.id,
        erased: { consents: consents.length, ciba_requests: 1, score_runs: 2 },
      });

      expect(await t.ctx.telco.subscribers.byPhone(a.tenantId, POSTPAID.phone_number)).toBeUndefined();
      for (const table of ['telco_consents', 'ciba_requests'] as const) {
        const left = await db
          .selectFrom(table)
          .select('id')
          .where('subscriber_id', '=', subscriber.id)
          .execute();
        expect(left, table).toEqual([]);
      }
      const subjects = await db
        .selectFrom('subjects')
        .select('partner_id')
        .where('tenant_id', '=', a.tenantId)
        .execute();
      expect(subjects.map((s) => s.partner_id)).toEqual([other.id]);
      const runs = await db
        .selectFrom('score_runs')
        .select('id')
        .where('tenant_id', '=', a.tenantId)
        .execute();
      expect(runs).toHaveLength(1);

      // The API consumer's tokens find nobody any more; the other subscriber is still scored.
      for (const [token, body] of [
        [threeLegged, {}],
        [twoLegged, { phoneNumber: POSTPAID.phone_number }],
      ] as const) {
        const gone = await retrieve(t, 'v0.3rc1', token, body);
        expect(gone.statusCode).toBe(404);
        expect(gone.json()).toMatchObject({ code: 'IDENTIFIER_NOT_FOUND' });
      }
      expect(
        (await retrieve(t, 'v0.3rc1', twoLegged, { phoneNumber: PREPAID.phone_number })).statusCode,
      ).toBe(200);

      // The audit log says who erased which subscriber, without the phone number.
      const entries = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'telco_subscriber.erase')
        .execute();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ tenant_id: a.tenantId, target_id: subscriber.id });
      const digits = POSTPAID.phone_number.slice(1);
      expect(JSON.stringify(entries[0])).not.toContain(digits);

      expect((await erase(a.key, POSTPAID.phone_number)).statusCode).toBe(404);
    });

    it('erases a subscriber once when asked several times at the same moment', async () => {
      const phone = '+254700111222';
      const loaded = await t.app.inject({
        method: 'POST',
        url: '/api/v1/telco/subscribers',
        headers: { authorization: `Bearer ${a.key}` },
        payload: { subscribers: [{ ...PREPAID, phone_number: phone, id_document: null }] },
      });
      expect(loaded.statusCode).toBe(201);
      expect((await retrieve(t, 'v0.3rc1', twoLegged, { phoneNumber: phone })).statusCode).toBe(200);
      const answers = await Promise.all([1, 2, 3, 4].map(() => erase(a.key, phone)));
      const done = answers.filter((r) => r.statusCode === 200);
      expect(done).toHaveLength(1);
      expect(done[0]!.json().erased.score_runs).toBeGreaterThan(0);
      expect(answers.filter((r) => r.statusCode === 404).map((r) => r.json().code)).toEqual([
        'CREDENCE_NOT_FOUND',
        'CREDENCE_NOT_FOUND',
        'CREDENCE_NOT_FOUND',
      ]);
      const audited = await t.ctx.database.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'telco_subscriber.erase')
        .where('target_id', '=', done[0]!.json().subscriber_id)
        .execute();
      expect(audited).toHaveLength(1);
    });
  });
}

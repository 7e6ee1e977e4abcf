import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { operatorWith, POSTPAID, SUBSCRIBERS } from '../../../test/helpers/camara.js';
import { ManualClock } from '../../../test/helpers/clock.js';
import { ENGINES } from '../../../test/helpers/databases.js';

for (const engine of ENGINES) {
  describe(`telco subscribers and consents on ${engine}`, () => {
    let t: TestApp;
    let a: { tenantId: string; key: string };
    const clock = new ManualClock('2026-11-21T10:00:00Z');

    beforeAll(async () => {
      t = await createTestApp(engine, { clock });
      a = await operatorWith(t, 'operator-a');
    });
    afterAll(async () => t?.close());

    const load = (key: string, subscribers: unknown[]) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/telco/subscribers',
        headers: { authorization: `Bearer ${key}` },
        payload: { subscribers },
      });

    it('stores phone numbers and id documents encrypted, found by E.164 only in their tenant', async () => {
      const s = await t.ctx.telco.subscribers.byPhone(a.tenantId, POSTPAID.phone_number);
      expect(s).toMatchObject({ subscriptionType: 'postpaid', activationDate: '2019-03-01' });
      expect(s!.features()).toEqual(POSTPAID.features);
      const rows = await t.ctx.database.db.selectFrom('telco_subscribers').selectAll().execute();
      // Each column is ciphertext (the cipher's versioned form) that does not hold what it encrypts;
      // checked against the plaintext itself, since random ciphertext may hold any short run.
      const { cipher } = t.ctx;
      for (const r of rows) {
        for (const sealed of [r.phone, r.id_document, r.features]) {
          if (sealed === null) continue;
          expect(sealed).toMatch(/^v1\./);
          expect(sealed).not.toContain(cipher.decrypt(sealed).replace(/^\+/, ''));
        }
        expect(cipher.decrypt(r.phone)).toMatch(/^\+254\d{9}$/);
      }
      expect(rows.some((r) => r.id_document !== null)).toBe(true);
      const b = await t.tenantWithKey('operator-b');
      expect(await t.ctx.telco.subscribers.byPhone(b.tenantId, POSTPAID.phone_number)).toBeUndefined();
    });

    it('replaces the data of a phone number loaded again, and counts new and updated', async () => {
      const res = await load(a.key, [
        { ...POSTPAID, phone_number: '+254 712 345 678', features: { arpu: 30 } },
        { ...POSTPAID, phone_number: '+254711000001', id_document: null },
      ]);
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({ received: 2, created: 1, updated: 1 });
      const s = await t.ctx.telco.subscribers.byPhone(a.tenantId, POSTPAID.phone_number);
      expect(s!.features()).toEqual({ arpu: 30 });
      await load(a.key, [SUBSCRIBERS[0]]);
      // Loaded by several at the same moment, a new number is counted as new once.
      const racing = await Promise.all(
        Array.from({ length: 6 }, () => load(a.key, [{ ...POSTPAID, phone_number: '+254711000077' }])),
      );
      expect(racing.map((r) => r.json().created).reduce((x: number, y: number) => x + y)).toBe(1);
      expect(racing.map((r) => r.json().updated).reduce((x: number, y: number) => x + y)).toBe(5);
    });

    it('refuses a whole batch for one bad subscriber, naming it', async () => {
      for (const [bad, field] of [
        [{ phone_number: '0712345678' }, 'subscribers[1].phone_number'],
        [{ subscription_type: 'corporate' }, 'subscribers[1].subscription_type'],
        [{ activation_date: '2026-02-30' }, 'subscribers[1].activation_date'],
        [{ activation_date: '2027-01-01' }, 'subscribers[1].activation_date'],
        [{ features: { arpu: -1 } }, 'subscribers[1].features.arpu'],
        [{ features: { topup_regularity: 2 } }, 'subscribers[1].features.topup_regularity'],
        [{ id_document: '!!' }, 'subscribers[1].id_document'],
        // Longer than CAMARA 0.3's idDocument can be: never matched there.
        [{ id_document: 'A'.repeat(31) }, 'subscribers[1].id_document'],
        // The first record's number in another spelling.
        [{ phone_number: '+254 711 000 002' }, 'subscribers[1].phone_number'],
      ] as const) {
        const res = await load(a.key, [
          { ...POSTPAID, phone_number: '+254711000002' },
          { ...POSTPAID, ...bad },
        ]);
        expect(res.statusCode, JSON.stringify(bad)).toBe(400);
        expect(res.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field });
      }
      expect(await t.ctx.telco.subscribers.byPhone(a.tenantId, '+254711000002')).toBeUndefined();
      const twice = await load(a.key, [
        { ...POSTPAID, phone_number: '+254711000002' },
        { ...POSTPAID, phone_number: '+254 711 000 002' },
      ]);
      expect(twice.json().detail).toBe("subscribers[1]: phone_number is the same number as subscribers[0]'s");
      const longest = await load(a.key, [
        { ...POSTPAID, phone_number: '+254711000002', id_document: 'A'.repeat(30) },
      ]);
      expect(longest.statusCode).toBe(201);
    });

    it('needs the telco:write scope', async () => {
      const key = await t.key('operator-a', ['models:read']);
      expect((await load(key, [POSTPAID])).statusCode).toBe(403);
    });

    it('reads a subscriber back, decrypted, only in its tenant and with telco:read', async () => {
      const read = (key: string, phone: string) =>
        t.app.inject({
          method: 'GET',
          url: `/api/v1/telco/subscribers/${encodeURIComponent(phone)}`,
          headers: { authorization: `Bearer ${key}` },
        });
      const res = await read(a.key, POSTPAID.phone_number);
      expect(res.statusCode).toBe(200);
      const stored = (await t.ctx.telco.subscribers.byPhone(a.tenantId, POSTPAID.phone_number))!;
      expect(res.json()).toEqual({
        subscriber_id: stored.id,
        phone_number: POSTPAID.phone_number,
        id_document: POSTPAID.id_document,
        subscription_type: 'postpaid',
        activation_date: '2019-03-01',
        features: stored.features(),
        created_at: expect.any(String),
        updated_at: expect.any(String),
        consents: [],
      });
      // The same subscriber in another spelling of E.164; a bad number; an unknown one.
      expect((await read(a.key, '+254 712 345 678')).json().subscriber_id).toBe(stored.id);
      const bad = await read(a.key, '0712345678');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'phone_number' });
      expect((await read(a.key, '+254799000000')).statusCode).toBe(404);
      const other = await t.tenantWithKey('operator-d');
      expect((await read(other.key, POSTPAID.phone_number)).statusCode).toBe(404);
      const writeOnly = await t.key('operator-a', ['telco:write']);
      expect((await read(writeOnly, POSTPAID.phone_number)).statusCode).toBe(403);
      const readOnly = await t.key('operator-a', ['telco:read']);
      expect((await read(readOnly, POSTPAID.phone_number)).statusCode).toBe(200);
    });

    it("records and withdraws consents, only for the tenant's own subscribers and clients", async () => {
      const client = await t.ctx.oauthClients.create({
        tenant: 'operator-a',
        grants: ['client_credentials'],
      });
      const grant = (key: string, body: Record<string, string>) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/telco/consents',
          headers: { authorization: `Bearer ${key}` },
          payload: body,
        });
      const first = await grant(a.key, { phone_number: POSTPAID.phone_number, client_id: client.clientId });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({
        scope: 'customer-insights:scoring:read',
        source: 'api',
        revoked_at: null,
      });
      const again = await grant(a.key, { phone_number: POSTPAID.phone_number, client_id: client.clientId });
      expect(again.statusCode).toBe(200);
      expect(again.json().consent_id).toBe(first.json().consent_id);
      const b = await t.tenantWithKey('operator-c');
      expect(
        (await grant(b.key, { phone_number: POSTPAID.phone_number, client_id: client.clientId })).statusCode,
      ).toBe(404);
      expect(
        (await grant(a.key, { phone_number: '+254799999999', client_id: client.clientId })).statusCode,
      ).toBe(404);
      const revokeOther = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/telco/consents/${first.json().consent_id}`,
        headers: { authorization: `Bearer ${b.key}` },
      });
      expect(revokeOther.statusCode).toBe(404);
      const revoked = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/telco/consents/${first.json().consent_id}`,
        headers: { authorization: `Bearer ${a.key}` },
      });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revoked_at).toBe('2026-11-21T10:00:00.000Z');
      const back = await t.app.inject({
        method: 'GET',
        url: `/api/v1/telco/subscribers/${encodeURIComponent(POSTPAID.phone_number)}`,
        headers: { authorization: `Bearer ${a.key}` },
      });
      expect(back.json().consents).toEqual([revoked.json()]);
    });

    it('grants consent by phone (as the CLI does) for any spelling of the E.164 number, and refuses a bad one', async () => {
      const client = await t.ctx.oauthClients.create({
        tenant: 'operator-a',
        grants: ['client_credentials'],
      });
      const grant = (phone: string) =>
        t.ctx.telco.consents.grantByPhone(a.tenantId, {
          phone,
          clientId: client.clientId,
          scope: 'customer-insights:scoring:read',
          source: 'cli',
          actor: 'cli',
        });
      const stored = await t.ctx.telco.subscribers.byPhone(a.tenantId, POSTPAID.phone_number);
      const spaced = await grant('+254 712 345 678');
      expect(spaced.created).toBe(true);
      expect(spaced.consent.subscriberId).toBe(stored!.id);
      expect((await grant(POSTPAID.phone_number)).consent.id).toBe(spaced.consent.id);
      await expect(grant('0712345678')).rejects.toMatchObject({
        code: 'CREDENCE_INVALID_INPUT',
        details: { field: 'phone_number' },
      });
      await expect(grant('+254799000000')).rejects.toMatchObject({ code: 'CREDENCE_NOT_FOUND' });
    });
  });
}

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { type FinboxTenant, finboxTenant, predictors, sync } from '../../../test/helpers/finbox.js';

for (const engine of ENGINES) {
  describe(`device sync moves the data watermark [${engine}]`, () => {
    let t: TestApp;
    let acme: FinboxTenant;
    let now = Date.parse('2026-06-15T10:00:00.000Z');
    beforeAll(async () => {
      t = await createTestApp(engine, { clock: { now: () => new Date(now) } });
      acme = await finboxTenant(t, 'acme');
    });
    afterAll(async () => t.close());

    const allSms = async (customerId: string) => {
      const r = await predictors(t, acme, customerId);
      expect(r.json().status).toBe('complete');
      return r.json().data.find((p: { name: string }) => p.name === 'all_sms_count').value;
    };

    it('featurizes a batch stored after the newest one was featurized, whatever its clock said', async () => {
      const sms = (n: number) => ({ sender: 'A', body: `message ${n}`, timestamp: now - 3_600_000 });
      await sync(t, acme.deviceKey, { customer_id: 'ORDER', batch_id: 'b1', sms: [sms(1), sms(2)] });
      await t.ctx.queue.drain();
      expect(await allSms('ORDER')).toBe(2);
      // A second server whose clock is two seconds behind (or this one's, stepped back by NTP)
      // stores the next batch: the predictors must describe it too, not stay at the first.
      now -= 2000;
      const second = await sync(t, acme.deviceKey, { customer_id: 'ORDER', batch_id: 'b2', sms: [sms(3)] });
      expect(second.statusCode).toBe(201);
      await t.ctx.queue.drain();
      expect(await allSms('ORDER')).toBe(3);
    });

    it("takes a later batch's app list as the newest, whatever its clock said", async () => {
      const app = (pkg: string) => ({ package: pkg, first_install_time: now - 86_400_000 });
      await sync(t, acme.deviceKey, { customer_id: 'APPS', batch_id: 'b1', apps: [app('com.a')] });
      now -= 2000;
      await sync(t, acme.deviceKey, {
        customer_id: 'APPS',
        batch_id: 'b2',
        apps: [app('com.a'), app('com.b')],
      });
      await t.ctx.queue.drain();
      const r = await predictors(t, acme, 'APPS');
      expect(r.json().data.find((p: { name: string }) => p.name === 'cnt_apps').value).toBe(2);
    });
  });
}

for (const engine of ENGINES) {
  describe(`a NUL character in a DeviceConnect request [${engine}]`, () => {
    let t: TestApp;
    let acme: FinboxTenant;
    beforeAll(async () => {
      t = await createTestApp(engine);
      acme = await finboxTenant(t, 'acme');
    });
    afterAll(async () => t.close());

    it('in an id is refused with a 400 naming the field, on every engine', async () => {
      const s = await sync(t, acme.deviceKey, { customer_id: 'a\u0000b', batch_id: 'b', contacts_count: 1 });
      expect(s.statusCode).toBe(400);
      expect(s.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'customer_id' });
      expect(s.json().detail).toBe(
        'customer_id must be a string of 1 to 260 characters, none of them NUL (\\u0000)',
      );
      const b = await sync(t, acme.deviceKey, { customer_id: 'ab', batch_id: 'b\u0000', contacts_count: 1 });
      expect(b.statusCode).toBe(400);
      expect(b.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT', field: 'batch_id' });
      // The same message, which says what the id must be, for every other way to get it wrong.
      for (const [customer_id, batch_id, field, max] of [
        [5, 'b', 'customer_id', 260],
        [null, 'b', 'customer_id', 260],
        ['', 'b', 'customer_id', 260],
        ['c'.repeat(261), 'b', 'customer_id', 260],
        ['ab', 7, 'batch_id', 128],
        ['ab', '', 'batch_id', 128],
        ['ab', 'b'.repeat(129), 'batch_id', 128],
      ] as const) {
        const r = await sync(t, acme.deviceKey, { customer_id, batch_id, contacts_count: 1 });
        expect(r.statusCode).toBe(400);
        expect(r.json()).toMatchObject({
          field,
          detail: `${field} must be a string of 1 to ${max} characters, none of them NUL (\\u0000)`,
        });
      }
      // Held in what is encrypted, a NUL is harmless: an SMS body may carry one.
      const sms = { sender: 'A', body: 'a\u0000b', timestamp: Date.now() - 1000 };
      expect(
        (await sync(t, acme.deviceKey, { customer_id: 'ab', batch_id: 'b', sms: [sms] })).statusCode,
      ).toBe(201);
      const p = await predictors(t, acme, 'a\u0000b');
      expect(p.statusCode).toBe(400);
      expect(p.json()).toEqual({
        request_id: expect.any(String),
        date_requested: expect.any(String),
        status: 'error',
        message: 'customer_id holds the NUL character (\\u0000), which text may not contain',
      });
      const w = await predictors(t, acme, 'ab', { query: '?source=webhook&request_id=%00' });
      expect(w.statusCode).toBe(400);
      expect(w.json().message).toBe('request_id holds the NUL character (%00), which text may not contain');
      const score = await t.app.inject({
        method: 'POST',
        url: '/api/v1/device-score',
        headers: { authorization: `Bearer ${await t.key('acme')}` },
        payload: { customer_id: 'a\u0000b' },
      });
      expect(score.statusCode).toBe(400);
    });
  });
}

for (const engine of ENGINES) {
  describe(`a DeviceConnect body that is not UTF-8 [${engine}]`, () => {
    let t: TestApp;
    let acme: FinboxTenant;
    beforeAll(async () => {
      t = await createTestApp(engine);
      acme = await finboxTenant(t, 'acme');
    });
    afterAll(async () => t.close());

    it('is refused, not stored under an id mangled to U+FFFD', async () => {
      // "José" in Latin-1: the é is the single byte 0xE9.
      const latin1 = Buffer.from('{"customer_id":"José","batch_id":"b","contacts_count":1}', 'latin1');
      const s = await t.app.inject({
        method: 'POST',
        url: '/api/v1/device-sync',
        headers: {
          authorization: `Bearer ${acme.deviceKey}`,
          'content-type': 'application/json; charset=ISO-8859-1',
        },
        payload: latin1,
      });
      expect(s.statusCode).toBe(400);
      expect(s.json()).toMatchObject({
        code: 'CREDENCE_INVALID_JSON',
        detail: 'request body is not UTF-8 text (JSON must be sent as UTF-8)',
      });
      const p = await predictors(t, acme, 'José', {
        body: Buffer.from('{"customer_id":"José","version":1,"salt":"x"}', 'latin1'),
      });
      expect(p.statusCode).toBe(400);
      expect(p.json()).toMatchObject({
        status: 'error',
        message: 'request body is not UTF-8 text (JSON must be sent as UTF-8)',
      });
      // The same text in UTF-8 is stored as sent.
      const utf8 = await sync(t, acme.deviceKey, { customer_id: 'José', batch_id: 'b', contacts_count: 1 });
      expect(utf8.json().customer_id).toBe('José');
    });
  });
}

for (const engine of ENGINES) {
  describe(`a large device batch and its featurization [${engine}]`, () => {
    let t: TestApp;
    let acme: FinboxTenant;
    const now = Date.parse('2026-06-15T10:00:00.000Z');
    beforeAll(async () => {
      t = await createTestApp(engine, { clock: { now: () => new Date(now) } });
      acme = await finboxTenant(t, 'acme');
    });
    afterAll(async () => t.close());

    /** How many times a 1 ms timer fired while `work` ran: none if it held the event loop throughout. */
    async function timerTicksDuring(work: () => Promise<unknown>): Promise<number> {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      try {
        await work();
        return ticks;
      } finally {
        clearInterval(timer);
      }
    }

    const batch = (id: string) => ({
      customer_id: 'BIG',
      batch_id: id,
      sms: Array.from({ length: 20_000 }, (_, i) => ({
        sender: 'MPESA',
        timestamp: now - (i + 1) * 60_000,
        body: `QGH${id}${i} Confirmed. You have received Ksh${100 + (i % 900)}.00 from JOHN KAMAU on 15/6/25 at 4:15 PM. New M-PESA balance is Ksh${i}.50.`,
      })),
      calls: Array.from({ length: 2_000 }, (_, i) => ({
        type: 'incoming',
        duration: i % 300,
        timestamp: now - (i + 1) * 60_000,
        number_hash: `${id}-${i % 700}`,
      })),
    });

    it('lets other work run while it is parsed, stored and featurized', async () => {
      // Parsing, encrypting and inserting 20,000 messages takes far longer than a timer's
      // millisecond; done in one stretch, the server answered nothing else meanwhile.
      expect(await timerTicksDuring(() => sync(t, acme.deviceKey, batch('b1')))).toBeGreaterThan(0);
      expect(await timerTicksDuring(() => sync(t, acme.deviceKey, batch('b2')))).toBeGreaterThan(0);
      const state = await t.ctx.database.db
        .selectFrom('device_state')
        .selectAll()
        .where('tenant_id', '=', acme.tenantId)
        .executeTakeFirstOrThrow();
      let sms = 0;
      const ticks = await timerTicksDuring(async () => {
        const s = await t.ctx.device.features.snapshot(
          acme.tenantId,
          state.subject_id,
          Date.parse(state.as_of),
        );
        sms = s.sms.length;
      });
      expect(sms).toBe(40_000);
      expect(ticks).toBeGreaterThan(0);
    });

    it('answers a resent batch without parsing its messages again', async () => {
      expect((await sync(t, acme.deviceKey, batch('r1'))).statusCode).toBe(201);
      const fingerprints = vi.spyOn(t.ctx.cipher, 'blindIndex');
      try {
        const again = await sync(t, acme.deviceKey, batch('r1'));
        expect(again.statusCode).toBe(200);
        expect(again.json()).toMatchObject({ replayed: true, stored: { sms: 20_000, sms_duplicates: 0 } });
        expect(fingerprints.mock.calls.filter(([kind]) => kind === 'device_sms')).toEqual([]);
      } finally {
        fingerprints.mockRestore();
      }
    });
  });
}

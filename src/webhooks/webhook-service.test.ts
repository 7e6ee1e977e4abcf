import dns from 'node:dns/promises';
import os from 'node:os';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { ManualClock } from '../../test/helpers/clock.js';
import { ENGINES } from '../../test/helpers/databases.js';
import { WebhookReceiver } from '../../test/helpers/webhook-receiver.js';
import { isPublicAddress } from '../domain/network.js';
import { parseRetryAfter } from '../lib/retry-after.js';
import type { Principal } from '../services/principal.js';
import { DELIVER_JOB } from './webhook-service.js';

// Replays right after an attempt too: the double-click guard has a test of its own.
const FAST = { backoffBaseMs: 20, backoffMaxMs: 100, replayQuietMs: 0 };

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});

describe('a delivery id of any length', () => {
  it("is answered in the API's own vocabulary, not by the router", async () => {
    const t = await createTestApp('sqlite');
    try {
      const { key } = await t.tenantWithKey('acme');
      const id = `msg_${'x'.repeat(2000)}`;
      for (const [method, url] of [
        ['GET', `/api/v1/webhook-deliveries/${id}`],
        ['POST', `/api/v1/webhook-deliveries/${id}/replay`],
      ] as const) {
        const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${key}` } });
        expect(res.statusCode, method).toBe(404);
        expect(res.headers['content-type'], method).toMatch(/^application\/problem\+json/);
        expect(res.json(), method).toMatchObject({ code: 'CREDENCE_NOT_FOUND' });
      }
    } finally {
      await t.close();
    }
  });
});

for (const engine of ENGINES) {
  describe(`webhooks on ${engine}`, () => {
    let t: TestApp;
    const receivers: WebhookReceiver[] = [];
    afterEach(async () => {
      for (const r of receivers.splice(0)) await r.stop();
      await t.close();
    });
    const receiver = async (port = 0) => {
      const r = await new WebhookReceiver().start(port);
      receivers.push(r);
      return r;
    };
    const setup = async (
      webhooks: Parameters<typeof createTestApp>[1] extends infer O
        ? O extends { webhooks?: infer W }
          ? W
          : never
        : never = FAST,
      allowPrivate = true,
      clock?: ManualClock,
    ) => {
      t = await createTestApp(engine, {
        webhooks,
        clock,
        // With a clock the test moves, the embedded queue on both engines: it schedules retries by
        // that clock; pg-boss schedules them by the database's.
        config: {
          webhookAllowPrivate: allowPrivate,
          ...(clock ? { queueBackend: 'embedded' as const } : {}),
        },
      });
      const tenant = await t.ctx.tenants.create('acme');
      const app = await t.ctx.tenants.client(tenant.id);
      const secret = (await t.ctx.webhooks.ensureSecret(tenant.id, app.id))!;
      const key = await t.key('acme');
      const who: Principal = {
        tenantId: tenant.id,
        clientId: app.id,
        credentialId: 'test',
        credentialType: 'test',
        scopes: ['*'],
      };
      return { tenantId: tenant.id, clientId: app.id, secret, key, who };
    };
    const deliveryOf = async (who: Principal, id: string, status: string, timeoutMs = 10_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const d = await t.ctx.webhooks.get(who, id);
        if (d.status === status) return d;
        if (Date.now() > until) throw new Error(`delivery ${id} is ${d.status}, not ${status}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };

    const sendTo = (s: { tenantId: string; clientId: string }, url: string) =>
      t.ctx.webhooks.send({ tenantId: s.tenantId, clientId: s.clientId, url, type: 'e', data: {} });

    it('signs per Standard Webhooks, and lists deliveries with their attempts', async () => {
      const s = await setup();
      const r = await receiver();
      const sent = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: r.url,
        type: 'test.event',
        data: { n: 1 },
      });
      const [got] = await r.waitFor(1);
      const event = new Webhook(s.secret).verify(got!.body, got!.headers as Record<string, string>);
      expect(event).toMatchObject({ type: 'test.event', data: { n: 1 } });
      expect(got!.headers['webhook-id']).toBe(sent.id);
      await deliveryOf(s.who, sent.id, 'delivered');

      const list = await t.app.inject({
        method: 'GET',
        url: '/api/v1/webhook-deliveries',
        headers: { authorization: `Bearer ${s.key}` },
      });
      expect(list.statusCode).toBe(200);
      expect(list.json().deliveries).toEqual([
        expect.objectContaining({
          id: sent.id,
          status: 'delivered',
          attempts: 1,
          last_status_code: 200,
          event_type: 'test.event',
        }),
      ]);
      const one = await t.app.inject({
        method: 'GET',
        url: `/api/v1/webhook-deliveries/${sent.id}`,
        headers: { authorization: `Bearer ${s.key}` },
      });
      expect(one.json()).toMatchObject({
        payload: { type: 'test.event', data: { n: 1 } },
        attempt_log: [{ attempt: 1, status_code: 200, response_excerpt: 'ok' }],
      });
      // The receiver's answer may echo the event's personal data: it is kept sealed.
      const kept = await t.ctx.database.db
        .selectFrom('webhook_attempts')
        .select('response_excerpt')
        .execute();
      expect(kept.map((a) => a.response_excerpt)).toEqual([expect.stringMatching(/^v1\./)]);

      // The same key is one event.
      const a = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: r.url,
        type: 'x',
        data: {},
        key: 'k',
      });
      const b = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: r.url,
        type: 'x',
        data: {},
        key: 'k',
      });
      expect(b).toEqual({ id: a.id, created: false });
      await t.ctx.queue.drain();
      expect(r.received.filter((x) => x.headers['webhook-id'] === a.id)).toHaveLength(1);
    });

    it('retries a failing receiver with the same webhook-id, stops at 410, and honours Retry-After', async () => {
      const s = await setup();
      const r = await receiver();
      r.answers = [{ status: 500 }, { status: 502 }, { status: 200 }];
      const sent = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: r.url,
        type: 'e',
        data: {},
      });
      const d = await deliveryOf(s.who, sent.id, 'delivered');
      expect(d.attempts).toBe(3);
      expect(d.attemptLog.map((a) => a.statusCode)).toEqual([500, 502, 200]);
      expect(new Set(r.received.map((x) => x.headers['webhook-id']))).toEqual(new Set([sent.id]));
      // Each attempt is signed afresh with its own timestamp, and each verifies.
      for (const x of r.received) new Webhook(s.secret).verify(x.body, x.headers as Record<string, string>);

      r.answers = [{ status: 410 }];
      const gone = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: r.url,
        type: 'e',
        data: {},
      });
      const g = await deliveryOf(s.who, gone.id, 'failed');
      expect(g.attempts).toBe(1);
      expect(g.lastError).toMatch(/410/);

      r.answers = [{ status: 503, headers: { 'retry-after': '1' } }];
      const before = r.received.length;
      const later = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: r.url,
        type: 'e',
        data: {},
      });
      await deliveryOf(s.who, later.id, 'delivered');
      const [first, second] = r.received.slice(before);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    });

    it('gives up an attempt after the timeout, and a delivery after its window', async () => {
      const s = await setup({ ...FAST, timeoutMs: 200, windowMs: 1500 });
      const r = await receiver();
      r.answers = [{ status: 200, delayMs: 1000 }];
      const slow = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: r.url,
        type: 'e',
        data: {},
      });
      const d = await deliveryOf(s.who, slow.id, 'delivered');
      expect(d.attemptLog[0]).toMatchObject({ statusCode: null, error: 'no response within 200 ms' });
      expect(d.attemptLog[0]!.durationMs).toBeLessThan(1000);

      r.answers = Array.from({ length: 100 }, () => ({ status: 500 }));
      const doomed = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: r.url,
        type: 'e',
        data: {},
      });
      const f = await deliveryOf(s.who, doomed.id, 'failed', 10_000);
      expect(f.lastError).toMatch(/^not delivered within 1.5 s: HTTP 500$/);
      expect(f.attempts).toBeGreaterThan(2);
    });

    it('delivers every event to a receiver that was down for a while', async () => {
      const s = await setup();
      const probe = await receiver();
      const port = probe.port;
      await probe.stop();
      receivers.length = 0;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          (
            await t.ctx.webhooks.send({
              tenantId: s.tenantId,
              clientId: s.clientId,
              url: `http://127.0.0.1:${port}/hook`,
              type: 'e',
              data: { i },
            })
          ).id,
        );
      }
      // Its first attempt failed and it waits for the next (however long the worker took to try).
      const until = Date.now() + 10_000;
      let d = await t.ctx.webhooks.get(s.who, ids[0]!);
      while (d.attemptLog.length === 0 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 10));
        d = await t.ctx.webhooks.get(s.who, ids[0]!);
      }
      expect(d.status).toBe('pending');
      expect(d.attemptLog.length).toBeGreaterThan(0);
      expect(d.attemptLog[0]!.error).toMatch(/ECONNREFUSED/);
      const r = await receiver(port);
      for (const id of ids) await deliveryOf(s.who, id, 'delivered');
      expect(new Set(r.received.map((x) => x.headers['webhook-id']))).toEqual(new Set(ids));
    });

    it('replays a delivery with the same webhook-id, and signs with both secrets during a rotation', async () => {
      const s = await setup();
      const r = await receiver();
      const sent = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: r.url,
        type: 'e',
        data: {},
      });
      await deliveryOf(s.who, sent.id, 'delivered');
      const newSecret = await t.ctx.webhooks.rotateSecret(s.tenantId, s.clientId);
      const replay = await t.app.inject({
        method: 'POST',
        url: `/api/v1/webhook-deliveries/${sent.id}/replay`,
        headers: { authorization: `Bearer ${s.key}` },
      });
      expect(replay.statusCode).toBe(202);
      const [, again] = await r.waitFor(2);
      expect(again!.headers['webhook-id']).toBe(sent.id);
      expect(String(again!.headers['webhook-signature']).split(' ')).toHaveLength(2);
      new Webhook(s.secret).verify(again!.body, again!.headers as Record<string, string>);
      new Webhook(newSecret).verify(again!.body, again!.headers as Record<string, string>);
      expect(again!.body).toBe(r.received[0]!.body);
    });

    it('refuses to replay a pending delivery, and starts one series when replays of a settled one race', async () => {
      const s = await setup();
      const r = await receiver();
      const admin = (await t.ctx.adminKeys.create()).key;
      const replay = (id: string, asAdmin = false) =>
        t.app.inject({
          method: 'POST',
          url: asAdmin
            ? `/api/v1/admin/tenants/acme/webhook-deliveries/${id}/replay`
            : `/api/v1/webhook-deliveries/${id}/replay`,
          headers: { authorization: `Bearer ${asAdmin ? admin : s.key}` },
        });
      // Its first attempt failed, and the receiver put the next an hour away.
      r.answers = [{ status: 503, headers: { 'retry-after': '3600' } }];
      const waiting = await sendTo(s, r.url);
      await r.waitFor(1);
      await t.ctx.queue.drain();
      const before = await t.ctx.webhooks.get(s.who, waiting.id);
      expect(before).toMatchObject({ status: 'pending', attempts: 1 });
      const refused = await Promise.all([replay(waiting.id), replay(waiting.id), replay(waiting.id, true)]);
      for (const x of refused) {
        expect(x.statusCode).toBe(409);
        expect(x.json()).toMatchObject({ code: 'CREDENCE_CONFLICT' });
        expect(x.json().detail).toContain(`still pending (next attempt ${before.nextAttemptAt})`);
      }
      await t.ctx.queue.drain();
      expect(r.received).toHaveLength(1);
      expect(await t.ctx.webhooks.get(s.who, waiting.id)).toEqual(before);

      // A failed delivery replayed three times at once (a double click, a retried script) gets
      // one new series; its attempts are numbered on from the first.
      r.answers = [{ status: 410 }];
      const gone = await sendTo(s, r.url);
      await deliveryOf(s.who, gone.id, 'failed');
      r.answers = [{ status: 500 }, { status: 200 }];
      const answers = await Promise.all([replay(gone.id), replay(gone.id, true), replay(gone.id)]);
      expect(answers.map((x) => x.statusCode).sort()).toEqual([202, 409, 409]);
      const d = await deliveryOf(s.who, gone.id, 'delivered');
      await t.ctx.queue.drain();
      expect(d.attemptLog.map((a) => [a.attempt, a.statusCode])).toEqual([
        [1, 410],
        [2, 500],
        [3, 200],
      ]);
      expect(d.attempts).toBe(3);
      expect(r.received.filter((x) => x.headers['webhook-id'] === gone.id)).toHaveLength(3);
      // Delivered, it can be replayed again.
      expect((await replay(gone.id)).statusCode).toBe(202);
      expect((await deliveryOf(s.who, gone.id, 'delivered')).attempts).toBe(4);
    });

    it('takes a replay just after an attempt for the second click of a double click', async () => {
      const clock = new ManualClock('2026-12-06T12:00:00.000Z');
      const s = await setup({ ...FAST, replayQuietMs: 5000 }, true, clock);
      const r = await receiver();
      const sent = await sendTo(s, r.url);
      await t.ctx.queue.drain();
      expect(await t.ctx.webhooks.get(s.who, sent.id)).toMatchObject({ status: 'delivered', attempts: 1 });
      clock.advance(5_001);
      // The first click's series is delivered at once by a receiver that answers at once.
      await t.ctx.webhooks.replay(s.who, sent.id);
      await t.ctx.queue.drain();
      expect(await t.ctx.webhooks.get(s.who, sent.id)).toMatchObject({ status: 'delivered', attempts: 2 });
      clock.advance(150);
      await expect(t.ctx.webhooks.replay(s.who, sent.id)).rejects.toMatchObject({
        code: 'CREDENCE_CONFLICT',
        message: `webhook delivery ${sent.id} was attempted less than 5 s ago (a double click?): replay it again after that`,
      });
      await t.ctx.queue.drain();
      expect(r.received).toHaveLength(2);
      // Later, a replay is a replay again.
      clock.advance(5_000);
      await t.ctx.webhooks.replay(s.who, sent.id);
      await t.ctx.queue.drain();
      expect(await t.ctx.webhooks.get(s.who, sent.id)).toMatchObject({ status: 'delivered', attempts: 3 });
      expect(r.received).toHaveLength(3);
    });

    /** Runs a delivery's attempts, moving the clock to each retry; returns the delays asked for. */
    const runAttempts = async (clock: ManualClock, who: Principal, id: string) => {
      const delays: number[] = [];
      for (let i = 0; i < 20; i++) {
        await t.ctx.queue.drain();
        const d = await t.ctx.webhooks.get(who, id);
        if (d.status !== 'pending') return delays;
        delays.push(Date.parse(d.nextAttemptAt!) - Date.parse(d.updatedAt));
        clock.advance(Date.parse(d.nextAttemptAt!) - clock.now().getTime());
      }
      throw new Error(`delivery ${id} did not settle`);
    };
    // No jitter: every delay is its whole step.
    const STEPS = { backoffBaseMs: 5000, backoffMaxMs: 3600_000, random: () => 1, replayQuietMs: 0 };

    it("starts a replay's retries from the first step of the backoff", async () => {
      const clock = new ManualClock('2026-12-06T12:00:00.000Z');
      const s = await setup(STEPS, true, clock);
      const r = await receiver();
      const attempts = (id: string) => runAttempts(clock, s.who, id);
      r.answers = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 410 }];
      const sent = await sendTo(s, r.url);
      expect(await attempts(sent.id)).toEqual([5000, 10_000, 20_000, 40_000]);
      expect(await t.ctx.webhooks.get(s.who, sent.id)).toMatchObject({ status: 'failed', attempts: 5 });

      // Replayed once the receiver is fixed, a first hiccup is retried in seconds, not at the
      // step the first series had reached.
      r.answers = [{ status: 503 }, { status: 503 }, { status: 200 }];
      await t.ctx.webhooks.replay(s.who, sent.id);
      expect(await attempts(sent.id)).toEqual([5000, 10_000]);
      await t.ctx.queue.drain();
      const d = await t.ctx.webhooks.get(s.who, sent.id);
      expect(d).toMatchObject({ status: 'delivered', attempts: 8 });
      expect(d.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 500, 500, 410, 503, 503, 200]);
    });

    it('shows a replayed delivery as pending, not delivered, until its new series settles', async () => {
      const clock = new ManualClock('2026-12-06T12:00:00.000Z');
      const s = await setup(STEPS, true, clock);
      const r = await receiver();
      const sent = await sendTo(s, r.url);
      await runAttempts(clock, s.who, sent.id);
      const first = await t.ctx.webhooks.get(s.who, sent.id);
      expect(first).toMatchObject({ status: 'delivered', deliveredAt: '2026-12-06T12:00:00.000Z' });

      clock.advance(60_000);
      r.answers = [{ status: 200 }];
      const replay = await t.app.inject({
        method: 'POST',
        url: `/api/v1/webhook-deliveries/${sent.id}/replay`,
        headers: { authorization: `Bearer ${s.key}` },
      });
      expect(replay.json()).toMatchObject({ status: 'pending', delivered_at: null });
      const listed = await t.app.inject({
        method: 'GET',
        url: '/api/v1/webhook-deliveries?status=pending',
        headers: { authorization: `Bearer ${s.key}` },
      });
      expect(listed.json().deliveries).toEqual([
        expect.objectContaining({ id: sent.id, delivered_at: null }),
      ]);
      await runAttempts(clock, s.who, sent.id);
      expect(await t.ctx.webhooks.get(s.who, sent.id)).toMatchObject({
        status: 'delivered',
        deliveredAt: '2026-12-06T12:01:00.000Z',
        attempts: 2,
      });

      // Replayed again, and refused for good: failed, and not delivered.
      r.answers = [{ status: 410 }];
      clock.advance(60_000);
      await t.ctx.webhooks.replay(s.who, sent.id);
      await runAttempts(clock, s.who, sent.id);
      expect(await t.ctx.webhooks.get(s.who, sent.id)).toMatchObject({
        status: 'failed',
        deliveredAt: null,
        lastStatusCode: 410,
        attempts: 3,
      });
    });

    it('makes the last attempt when the window ends, not a step before', async () => {
      const clock = new ManualClock('2026-12-06T12:00:00.000Z');
      const s = await setup({ ...STEPS, windowMs: 60_000 }, true, clock);
      const r = await receiver();
      // Attempts at 0, 5, 15 and 35 s; the next step (40 s) ends past the window, at 75 s.
      r.answers = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }];
      const late = await sendTo(s, r.url);
      expect(await runAttempts(clock, s.who, late.id)).toEqual([5000, 10_000, 20_000, 25_000]);
      const d = await t.ctx.webhooks.get(s.who, late.id);
      expect(d).toMatchObject({ status: 'delivered', attempts: 5 });
      expect(d.attemptLog.at(-1)!.startedAt).toBe('2026-12-06T12:01:00.000Z');

      // Failing at the window's end too, the delivery fails then.
      r.answers = Array.from({ length: 5 }, () => ({ status: 500 }));
      const doomed = await sendTo(s, r.url);
      expect(await runAttempts(clock, s.who, doomed.id)).toEqual([5000, 10_000, 20_000, 25_000]);
      expect(await t.ctx.webhooks.get(s.who, doomed.id)).toMatchObject({
        status: 'failed',
        attempts: 5,
        lastError: 'not delivered within 60 s: HTTP 500',
      });
    });

    it('numbers attempts that run at once each with its own number', async () => {
      const s = await setup();
      const r = await receiver();
      // Three runs of the delivery's job at once (at-least-once delivery of jobs allows it): all
      // read the delivery before any answer comes back.
      r.answers = Array.from({ length: 3 }, () => ({ status: 200, delayMs: 500 }));
      const sent = await sendTo(s, r.url);
      const since = new Date().toISOString();
      for (const key of ['again-1', 'again-2'])
        await t.ctx.queue.enqueue(DELIVER_JOB, { deliveryId: sent.id, since }, { key });
      await r.waitFor(3);
      await t.ctx.queue.drain();
      const d = await t.ctx.webhooks.get(s.who, sent.id);
      expect(d.attemptLog.map((a) => a.attempt)).toEqual([1, 2, 3]);
      expect(d.attempts).toBe(3);
    });

    it("keeps each tenant's deliveries to itself", async () => {
      const s = await setup();
      const r = await receiver();
      const sent = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: r.url,
        type: 'e',
        data: {},
      });
      const other = await t.tenantWithKey('globex');
      const auth = { authorization: `Bearer ${other.key}` };
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/v1/webhook-deliveries', headers: auth })).json()
          .deliveries,
      ).toEqual([]);
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/v1/webhook-deliveries/${sent.id}`, headers: auth }))
          .statusCode,
      ).toBe(404);
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/v1/webhook-deliveries/${sent.id}/replay`,
            headers: auth,
          })
        ).statusCode,
      ).toBe(404);
      const readOnly = await t.key('acme', ['subjects:read']);
      const forbidden = await t.app.inject({
        method: 'GET',
        url: '/api/v1/webhook-deliveries',
        headers: { authorization: `Bearer ${readOnly}` },
      });
      expect(forbidden.statusCode).toBe(403);
    });

    it('refuses private destinations, also when a name resolves to one', async () => {
      const s = await setup(FAST, false);
      // A URL refused when the event is sent (allowed when it was registered, say) is kept as a
      // delivery that failed at once, never attempted, rather than undoing the sender's writes.
      const refused = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: 'http://127.0.0.1:1/x',
        type: 'e',
        data: { n: 1 },
      });
      const kept = await t.ctx.webhooks.get(s.who, refused.id);
      expect(kept).toMatchObject({
        status: 'failed',
        attempts: 0,
        nextAttemptAt: null,
        payload: { type: 'e', data: { n: 1 } },
      });
      expect(kept.lastError).toMatch(/^not sent: the webhook URL .*private, loopback or reserved/);
      expect(kept.attemptLog).toEqual([]);
      // Replayed while the destination is still refused, it fails again, without a request.
      await t.ctx.webhooks.replay(s.who, refused.id);
      const again = await deliveryOf(s.who, refused.id, 'failed');
      expect(again.attempts).toBe(1);
      expect(again.lastError).toMatch(/private, loopback or reserved/);
      const host = os.hostname();
      const resolved = await dns.lookup(host).catch(() => undefined);
      if (!resolved || isPublicAddress(resolved.address)) return; // nothing on this machine resolves privately by name
      const r = await receiver();
      const sent = await t.ctx.webhooks.send({
        tenantId: s.tenantId,
        clientId: s.clientId,
        url: `http://${host}:${r.port}/hook`,
        type: 'e',
        data: {},
      });
      const d = await deliveryOf(s.who, sent.id, 'failed');
      expect(d.lastError).toMatch(/resolves only to private, loopback or reserved addresses/);
      expect(d.attempts).toBe(1);
      expect(r.received).toEqual([]);
    });
  });
}

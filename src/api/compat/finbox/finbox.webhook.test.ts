import { afterEach, describe, expect, it, vi } from 'vitest';
import { syntheticSync } from '../../../../test/fixtures/device-sync.js';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { finboxTenant, predictors, sync } from '../../../../test/helpers/finbox.js';
import { WebhookReceiver } from '../../../../test/helpers/webhook-receiver.js';
import { finboxSalt } from '../../../domain/finbox/salt.js';
import type { Principal } from '../../../services/principal.js';
import { signatureOf } from '../../../webhooks/signature.js';

for (const engine of ENGINES) {
  describe(`DeviceConnect webhook and retention [${engine}]`, () => {
    let t: TestApp;
    const receiver = new WebhookReceiver();
    afterEach(async () => {
      await t.close();
      await receiver.stop();
    });

    it('notifies {service, customer_id, salt, request_id}, then serves that request_id', async () => {
      await receiver.start();
      t = await createTestApp(engine);
      const f = await finboxTenant(t, 'acme', { webhookUrl: receiver.url });
      await sync(t, f.deviceKey, syntheticSync({ customerId: 'W1', now: Date.now(), sms: 30 }));
      const [hook] = await receiver.waitFor(1);
      const body = JSON.parse(hook!.body);
      // The salt is computed with the webhook secret (shown when the key's webhook made it), the
      // same secret that signs the request; not with the SERVER_HASH.
      const secret = f.webhookSecret!;
      expect(secret).toMatch(/^whsec_/);
      expect(body).toEqual({
        service: 'PREDICTORS',
        customer_id: 'W1',
        salt: finboxSalt('W1', secret),
        request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(body.salt).not.toBe(finboxSalt('W1', f.serverHash));
      const h = hook!.headers;
      expect(h['webhook-signature']).toBe(
        signatureOf(secret, String(h['webhook-id']), Number(h['webhook-timestamp']), hook!.body),
      );
      const r = await predictors(t, f, 'W1', { query: `?source=webhook&request_id=${body.request_id}` });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ status: 'complete', request_id: body.request_id, customer_id: 'W1' });
      // The request id is about W1 only.
      const wrong = await predictors(t, f, 'W2', { query: `?source=webhook&request_id=${body.request_id}` });
      expect(wrong.statusCode).toBe(400);
      // And it is the key's it was announced to: another server key of the tenant cannot use it.
      const other = await t.ctx.device.finboxKeys.create({ tenant: 'acme' });
      const viaOther = await predictors(t, { serverKey: other.key, serverHash: other.serverHash }, 'W1', {
        query: `?source=webhook&request_id=${body.request_id}`,
      });
      expect(viaOther.statusCode).toBe(400);
      expect(viaOther.json()).toMatchObject({ message: 'Invalid or expired request_id' });
    });

    it('computes the salt with the newest webhook secret once the secret is rotated', async () => {
      await receiver.start();
      t = await createTestApp(engine);
      const f = await finboxTenant(t, 'acme', { webhookUrl: receiver.url });
      const key = (await t.ctx.apiKeys.list('acme')).find((k) => k.id === f.keyId)!;
      const rotated = await t.ctx.webhooks.rotateSecret(f.tenantId, key.clientId);
      const before = receiver.received.length;
      await sync(t, f.deviceKey, syntheticSync({ customerId: 'W3', now: Date.now(), sms: 5 }));
      const hook = (await receiver.waitFor(before + 1)).at(-1)!;
      expect(JSON.parse(hook.body)).toMatchObject({ customer_id: 'W3', salt: finboxSalt('W3', rotated) });
    });

    it('stores the predictors when the webhook URL is refused since the key was made', async () => {
      t = await createTestApp(engine);
      const f = await finboxTenant(t, 'acme', { webhookUrl: 'https://lender.example.com/finbox-hook' });
      // The destination became unacceptable after the key was created (the operator turned
      // CREDENCE_WEBHOOK_ALLOW_PRIVATE off, say): featurizing must not fail for it.
      const spy = vi
        .spyOn(t.ctx.webhooks, 'urlProblem')
        .mockReturnValue('is a private, loopback or reserved address');
      try {
        await sync(t, f.deviceKey, syntheticSync({ customerId: 'U1', now: Date.now(), sms: 5 }));
        await t.ctx.queue.drain();
        const r = await predictors(t, f, 'U1');
        expect(r.statusCode).toBe(200);
        expect(r.json()).toMatchObject({ status: 'complete', customer_id: 'U1' });
        const who = { tenantId: f.tenantId } as Principal;
        const { deliveries } = await t.ctx.webhooks.list(who, { limit: 10 });
        expect(deliveries).toHaveLength(1);
        expect(deliveries[0]).toMatchObject({
          status: 'failed',
          attempts: 0,
          eventType: 'finbox.predictors.ready',
        });
        expect(deliveries[0]!.lastError).toMatch(/^not sent: the webhook URL is a private/);
      } finally {
        spy.mockRestore();
      }
    });

    it('deletes raw SMS text once the retention passes and keeps what was parsed', async () => {
      t = await createTestApp(engine, { config: { smsRetentionMs: 300 } });
      const f = await finboxTenant(t, 'acme');
      await sync(t, f.deviceKey, syntheticSync({ customerId: 'R1', now: Date.now(), sms: 15 }));
      const bodies = async () =>
        (
          await t.ctx.database.db
            .selectFrom('device_sms')
            .select('body')
            .where('body', 'is not', null)
            .execute()
        ).length;
      expect(await bodies()).toBe(15);
      await new Promise((r) => setTimeout(r, 400));
      await t.ctx.queue.drain();
      expect(await bodies()).toBe(0);
      await predictors(t, f, 'R1');
      await t.ctx.queue.drain();
      const r = await predictors(t, f, 'R1');
      expect(r.json().data.find((p: { name: string }) => p.name === 'all_sms_count').value).toBe(15);
    });
  });
}

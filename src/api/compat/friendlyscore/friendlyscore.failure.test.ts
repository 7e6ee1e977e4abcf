import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestApp } from '../../../../test/helpers/app.js';
import { ManualClock } from '../../../../test/helpers/clock.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import {
  calculateBody,
  createConnectedTestApp,
  type FsClient,
  fsClient,
} from '../../../../test/helpers/friendlyscore.js';
import { WebhookReceiver } from '../../../../test/helpers/webhook-receiver.js';

for (const engine of ENGINES) {
  describe(`FriendlyScore dialect on ${engine}: calculations that fail`, () => {
    let t: TestApp;
    let c: FsClient;
    let r: WebhookReceiver;
    let clock: ManualClock;
    afterEach(async () => {
      vi.restoreAllMocks();
      await r.stop();
      await t.close();
    });
    const setup = async () => {
      clock = new ManualClock(new Date());
      // settle() moves the clock by up to 1,000 s: job locks, also on that clock, outlast it, so a
      // slow attempt is not taken for one whose worker died.
      t = await createConnectedTestApp(engine, { clock, config: { jobVisibilityTimeoutMs: 3_600_000 } });
      c = await fsClient(t, 'acme');
      r = await new WebhookReceiver().start();
    };

    /**
     * Polls get_score until it stops answering 202. The embedded queue schedules retries on the
     * app's clock, moved past each backoff (at most 8 s) by the first steps; pg-boss schedules
     * them on the database's, so real time passes too. The clock stays within the token's hour.
     */
    async function settle() {
      const until = Date.now() + 60_000;
      for (let step = 0; Date.now() < until; step++) {
        const res = await c.call('GET', '/api/v2/get_score.json?partner_user_id=cust-1');
        if (res.statusCode !== 202) return res;
        if (step < 100) clock.advance(10_000);
        t.ctx.queue.wake();
        await new Promise((done) => setTimeout(done, 20));
      }
      throw new Error('the calculation never ended');
    }

    async function calculate() {
      const res = await c.call(
        'POST',
        '/api/v2/users/partner-id/cust-1/calculate_score.json',
        calculateBody({ webhook: r.url }),
      );
      expect(res.statusCode).toBe(200);
    }

    async function expectFailedEnd() {
      const res = await settle();
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ code: 500, message: 'The score calculation failed' });
      const show = await c.call('GET', '/api/v2/users/id/1/show.json');
      expect(show.statusCode).toBe(500);
      const [hook] = await r.waitFor(1);
      // Signed at the test clock's time, which has moved ahead of the real one.
      const headers = hook!.headers as Record<string, string>;
      const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${hook!.body}`;
      const key = Buffer.from(c.webhookSecret!.replace(/^whsec_/, ''), 'base64');
      expect(headers['webhook-signature']).toContain(
        `v1,${createHmac('sha256', key).update(signed).digest('base64')}`,
      );
      const event = JSON.parse(hook!.body);
      expect(event).toMatchObject({
        type: 'friendlyscore.score.failed',
        data: { user_id: '1', partner_user_id: 'cust-1', status: 'failed' },
      });
    }

    it('ends a calculation whose score job fails on every attempt, and says so by webhook', async () => {
      await setup();
      const score = vi
        .spyOn(t.ctx.scoring, 'scoreAttributes')
        .mockRejectedValue(new Error('model store down'));
      await calculate();
      await expectFailedEnd();
      expect(score).toHaveBeenCalledTimes(5);
    });

    it("ends a calculation whose data connectors' job fails on every attempt, and says so by webhook", async () => {
      await setup();
      const gather = vi
        .spyOn(t.ctx.connectors.gathering, 'gather')
        .mockRejectedValue(new Error('records store down'));
      const score = vi.spyOn(t.ctx.scoring, 'scoreAttributes');
      await calculate();
      await expectFailedEnd();
      expect(gather).toHaveBeenCalledTimes(5);
      expect(score).not.toHaveBeenCalled();
      // A later calculation for the same user is not held back by the failed one.
      gather.mockRestore();
      await c.call('POST', '/api/v2/users/id/1/calculate_score.json', calculateBody());
      expect((await settle()).statusCode).toBe(200);
    });
  });
}

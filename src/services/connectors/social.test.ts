import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import {
  type FakeNetworks,
  fakeConnectorConfig,
  startFakeNetworks,
} from '../../../test/helpers/fake-networks.js';
import { calculateBody, fsClient } from '../../../test/helpers/friendlyscore.js';
import { GOOGLE_SCOPES } from '../../domain/footprint/networks.js';

const ALL_SCOPES = GOOGLE_SCOPES.join(' ');

for (const engine of ENGINES) {
  describe(`social network connectors on ${engine}`, () => {
    let fake: FakeNetworks;
    let t: TestApp;
    beforeAll(async () => {
      fake = await startFakeNetworks();
    });
    afterAll(async () => fake.stop());
    afterEach(async () => t?.close());

    const app = () =>
      createTestApp(engine, {
        config: { connectors: fakeConnectorConfig(fake, { timeoutMs: 1500 }) },
      });

    async function calculate(tokens: Record<string, string>, partner = 'u1') {
      const c = await fsClient(t, 'acme');
      const res = await c.call(
        'POST',
        `/api/v2/users/partner-id/${partner}/calculate_score.json`,
        calculateBody({ access_tokens: tokens }),
      );
      expect(res.statusCode).toBe(200);
      await t.ctx.queue.drain(20_000);
      const user = await t.ctx.friendlyscore.users.get(c.tenantId, { type: 'partner-id', value: partner });
      const latest = await t.ctx.dataRecords.latest(c.tenantId, user.subjectId);
      return { c, data: (kind: string) => latest.get(kind)?.data as Record<string, unknown> | undefined };
    }

    it('reads all six networks and serves what they said', async () => {
      t = await app();
      const { c, data } = await calculate({
        facebook: 'good',
        linkedin: 'good',
        twitter: 'good',
        google: `good:${ALL_SCOPES}`,
        paypal: 'good',
        instagram: 'good',
      });
      for (const n of ['facebook', 'linkedin', 'twitter', 'google', 'paypal', 'instagram'])
        expect(data(`connector.${n}`), n).toEqual({ status: 'ok' });
      expect((await c.call('GET', '/api/v2/users/id/1/facebook-data.json')).json()).toMatchObject({
        token_valid: true,
        name: 'Amina Odhiambo',
        emails: ['amina@example.com'],
        connections: 412,
        city_name: 'Nairobi, Kenya',
        work: [{ employer: 'Safaricom', title: 'Analyst', from: '2016-02-01', to: null }],
        educations: ['University of Nairobi'],
      });
      expect(data('social.twitter')).toMatchObject({
        account_created_at: '2013-12-14T04:35:55.000Z',
        connections: 230,
      });
      expect(data('social.instagram')).toMatchObject({ connections: 950, media_count: 120 });
      expect(data('social.linkedin')).toMatchObject({ email_verified: true, locale_country: 'KE' });
      expect(data('social.paypal')).toMatchObject({
        phones: ['+254712345678'],
        country: 'KE',
        verified: true,
      });
      expect(data('social.google')).toMatchObject({ scopes: GOOGLE_SCOPES, email: 'amina@gmail.com' });
      const show = (await c.call('GET', '/api/v2/users/id/1/show.json')).json();
      expect(show.notices.google_scopes_notice).toBeNull();
      // Every network read: the score counts them all.
      const score = (await c.call('GET', '/api/v2/get_score.json?id=1')).json();
      expect(score.score).toBeGreaterThan(700);
    });

    it("gives the seed's google_scopes_notice for the scopes the token lacks", async () => {
      t = await app();
      const granted = GOOGLE_SCOPES.filter((s) => !/calendar|drive|analytics|plus\.me/.test(s)).join(' ');
      const { c } = await calculate({ google: `good:${granted}` });
      const show = (await c.call('GET', '/api/v2/users/id/1/show.json')).json();
      expect(show.notices.google_scopes_notice).toBe(
        'FriendlyScore uses more google api scopes than provided within access_token. Missing scopes: https://www.googleapis.com/auth/calendar.readonly, https://www.googleapis.com/auth/drive.file, https://www.googleapis.com/auth/analytics.readonly, https://www.googleapis.com/auth/plus.me. Lack of scopes can lead to underestimated scoring result.',
      );
    });

    it('records refused tokens, rate limits, slow networks and retries per network', async () => {
      t = await app();
      const twitterCalls = () => fake.requests.filter((r) => r.startsWith('GET /twitter/')).length;
      const before = twitterCalls();
      const { c, data } = await calculate({
        facebook: 'revoked',
        linkedin: 'invalid',
        google: 'invalid',
        twitter: 'limited',
        paypal: 'slow',
        instagram: 'flaky',
      });
      expect(data('connector.facebook')).toEqual({
        status: 'token_refused',
        error: 'Error validating access token: The user has not authorized application 1234.',
      });
      expect(data('social.facebook')).toMatchObject({ token_valid: false });
      expect(data('connector.linkedin')).toMatchObject({ status: 'token_refused' });
      expect(data('connector.google')).toEqual({ status: 'token_refused', error: 'Invalid Value' });
      expect(data('connector.twitter')).toEqual({
        status: 'failed',
        error: 'rate limited (HTTP 429) after 3 attempts',
      });
      expect(twitterCalls() - before).toBe(3);
      expect(data('connector.paypal')).toEqual({ status: 'failed', error: 'no answer within 1500 ms' });
      expect(data('social.paypal')).toBeUndefined();
      // 503 once, then the answer.
      expect(data('connector.instagram')).toEqual({ status: 'ok' });
      expect(data('social.instagram')).toMatchObject({ connections: 950 });
      // Failed networks contribute nothing; the score is still made.
      expect((await c.call('GET', '/api/v2/get_score.json?id=1')).statusCode).toBe(200);
      expect((await c.call('GET', '/api/v2/users/id/1/twitter-data.json')).statusCode).toBe(204);
    });

    it('uses no network for a bare Twitter user id', async () => {
      t = await app();
      const before = fake.requests.length;
      const { data } = await calculate({ twitter_user_id: '2244994945' });
      expect(data('connector.twitter')).toEqual({ status: 'no_token' });
      expect(fake.requests.length).toBe(before);
    });
  });
}

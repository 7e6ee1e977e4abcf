import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ManualClock } from '../../../../test/helpers/clock.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import {
  BASE,
  calculateBody,
  createConnectedTestApp,
  fsClient,
  settledScore,
} from '../../../../test/helpers/friendlyscore.js';
import { WebhookReceiver } from '../../../../test/helpers/webhook-receiver.js';

for (const engine of ENGINES) {
  describe(`FriendlyScore dialect on ${engine}: happy paths`, () => {
    let t: TestApp;
    const receivers: WebhookReceiver[] = [];
    afterEach(async () => {
      for (const r of receivers.splice(0)) await r.stop();
      await t.close();
    });
    const receiver = async () => {
      const r = await new WebhookReceiver().start();
      receivers.push(r);
      return r;
    };

    it('issues a bearer token for client credentials sent as form fields, JSON or HTTP Basic', async () => {
      t = await createTestApp(engine);
      await t.ctx.tenants.create('acme');
      const c = await t.ctx.oauthClients.create({ tenant: 'acme', grants: ['client_credentials'] });
      const form = await t.app.inject({
        method: 'POST',
        url: `${BASE}/oauth/v2/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=client_credentials&client_id=${c.clientId}&client_secret=${c.clientSecret}`,
      });
      expect(form.statusCode).toBe(200);
      const body = form.json();
      expect(body).toEqual({
        access_token: expect.any(String),
        expires_in: 3600,
        token_type: 'bearer',
        scope: null,
      });
      expect(body.access_token.split('.')).toHaveLength(3);
      expect(form.headers['cache-control']).toBe('no-store');

      const json = await t.app.inject({
        method: 'POST',
        url: `${BASE}/oauth/v2/token`,
        payload: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret },
      });
      expect(json.statusCode).toBe(200);
      const basic = await t.app.inject({
        method: 'POST',
        url: `${BASE}/oauth/v2/token`,
        headers: {
          authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'grant_type=client_credentials',
      });
      expect(basic.statusCode).toBe(200);
      const token = basic.json().access_token;
      const users = await t.app.inject({
        method: 'GET',
        url: `${BASE}/api/v2/users.json`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(users.statusCode).toBe(200);
      // RFC 6750 §2.3: the token as a query parameter works too.
      const q = await t.app.inject({ method: 'GET', url: `${BASE}/api/v2/users.json?access_token=${token}` });
      expect(q.statusCode).toBe(200);
      // Never both at once (RFC 6750 §2), whichever would pass.
      const both = await t.app.inject({
        method: 'GET',
        url: `${BASE}/api/v2/users.json?access_token=${token}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(both.statusCode).toBe(400);
      expect(both.json()).toEqual({
        error: 'invalid_request',
        error_description:
          'Only one method may be used to authenticate at a time (Auth header, GET or POST).',
      });
    });

    it('queues a calculation, answers 202 while it runs, then the score; and signs the webhook', async () => {
      t = await createConnectedTestApp(engine);
      const c = await fsClient(t, 'acme');
      const r = await receiver();
      const res = await c.call(
        'POST',
        '/api/v2/users/partner-id/cust-42/calculate_score.json',
        calculateBody({ webhook: r.url }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ result: 'success', message: 'Queued for calculation.', user_id: '1' });

      const score = await settledScore(c, 'partner_user_id=cust-42');
      expect(score.statusCode).toBe(200);
      const s = score.json();
      expect(s).toMatchObject({ user_id: '1', partner_user_id: 'cust-42', min_score: 0, max_score: 1000 });
      expect(s.score).toBe(s.friendlyscore);
      // Facebook and LinkedIn confirmed both tokens (2 networks: 90, LinkedIn: 50); Facebook's 412
      // friends (80), the same email on both (80), LinkedIn's verified email (40), Facebook's
      // education (40); public IP (60), no fraud signal (100), known device (40); no account age
      // (40), phone (20), Google scopes (20) or work history (30) known; no PayPal (0).
      expect(s.score).toBe(90 + 50 + 0 + 40 + 80 + 80 + 20 + 60 + 100 + 40 + 20 + 30 + 40 + 40);
      expect(s.band).toBe('Good');
      expect(
        s.reason_codes
          .filter((x: { sentiment: string }) => x.sentiment === 'Negative')
          .map((x: { code: string }) => x.code),
      ).toEqual(['FS04', 'FS12', 'FS01']);
      expect(
        s.reason_codes
          .filter((x: { sentiment: string }) => x.sentiment === 'Positive')
          .map((x: { code: string }) => x.code),
      ).toEqual(['FP09', 'FP06', 'FP08']);

      const [hook] = await r.waitFor(1);
      const event = new Webhook(c.webhookSecret!).verify(
        hook!.body,
        hook!.headers as Record<string, string>,
      ) as {
        type: string;
        data: Record<string, unknown>;
      };
      expect(event.type).toBe('friendlyscore.score.calculated');
      expect(event.data).toMatchObject({
        user_id: '1',
        partner_user_id: 'cust-42',
        status: 'calculated',
        score: 690,
        band: 'Good',
      });
      expect(hook!.headers['webhook-id']).toMatch(/^msg_/);

      // The same user by its FriendlyScore id.
      const byId = await c.call('GET', '/api/v2/users/id/1/get_score.json');
      expect(byId.json().score).toBe(690);
      const show = await c.call('GET', '/api/v2/users/id/1/show.json');
      expect(show.statusCode).toBe(200);
      expect(show.json()).toMatchObject({
        id: 1,
        partner_id: 'cust-42',
        friendlyscore: 690,
        band: 'Good',
        // What the Facebook connector read: a job since 2016 with no end, so working now.
        name: 'Amina Odhiambo',
        working: true,
        positive: null,
        notices: { google_scopes_notice: null, ip_address_notice: null },
      });
      // Nothing of the access tokens ever leaves.
      expect(show.body).not.toContain('EAAB-test-token');

      // A second calculation by id-type id; `user_agent: []` is a PHP client's empty one.
      const again = await c.call(
        'POST',
        '/api/v2/users/id/1/calculate_score.json',
        calculateBody({ user_agent: [] }),
      );
      expect(again.json().user_id).toBe('1');
      expect((await settledScore(c, 'id=1')).statusCode).toBe(200);
    });

    it("serves the newest score's data points, and every network's data together", async () => {
      t = await createConnectedTestApp(engine);
      const c = await fsClient(t, 'acme');
      await c.call('POST', '/api/v2/users/partner-id/cust-42/calculate_score.json', calculateBody());
      const s = (await settledScore(c, 'partner_user_id=cust-42')).json();

      const res = await c.call('GET', '/api/v2/users/partner-id/cust-42/show/data-points.json');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        user_id: '1',
        partner_user_id: 'cust-42',
        friendlyscore: s.score,
        calculated_at: s.calculated_at,
      });
      type Point = { name: string; value: unknown; bin: string; points: number; max_points: number };
      const points = body.data_points as Point[];
      // One per characteristic of the starter card, in its order; they add up to the score (the
      // card has no base points).
      expect(points).toHaveLength(14);
      expect(points.reduce((sum, p) => sum + p.points, 0)).toBe(s.score);
      const point = (name: string) => points.find((p) => p.name === name);
      expect(point('networks_linked')).toMatchObject({ value: 2, bin: 'two', points: 90, max_points: 140 });
      expect(point('professional_network')).toMatchObject({ value: 'yes', points: 50, max_points: 50 });
      expect(point('connections_total')).toMatchObject({ value: 412, points: 80, max_points: 100 });
      // Nothing told the accounts' age: its missing bin.
      expect(point('oldest_account_age_months')).toEqual({
        name: 'oldest_account_age_months',
        value: null,
        bin: 'not known',
        points: 40,
        max_points: 110,
      });

      const social = await c.call('GET', '/api/v2/users/id/1/show/social-network-data.json');
      expect(social.statusCode).toBe(200);
      expect(social.json()).toEqual({
        user_id: '1',
        networks: {
          facebook: (await c.call('GET', '/api/v2/users/id/1/facebook-data.json')).json(),
          linkedin: (await c.call('GET', '/api/v2/users/id/1/linkedin-data.json')).json(),
        },
      });
      expect(social.body).not.toContain('EAAB-test-token');
    });

    it('serves the deprecated calculate_score.json with partner_user_id, and form posts in PHP notation', async () => {
      t = await createConnectedTestApp(engine);
      const c = await fsClient(t, 'acme');
      const res = await t.app.inject({
        method: 'POST',
        url: `${BASE}/api/v2/calculate_score.json`,
        headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload:
          'partner_user_id=old-1&user_ip=8.8.8.8&access_tokens%5Bgoogle%5D=ya29.token&access_tokens%5Bpaypal%5D=A21AA&user_agent=%7B%22os%22%3A%22Windows%2010%22%2C%22browser%22%3A%22Firefox%22%2C%22mobile%22%3Afalse%7D',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().result).toBe('success');
      const score = await settledScore(c, 'partner_user_id=old-1');
      expect(score.statusCode).toBe(200);
      expect(score.json().reason_codes.map((r: { code: string }) => r.code)).toContain('FP03');
    });

    it('answers 204 when nothing usable is known, and reports notices', async () => {
      t = await createTestApp(engine);
      const c = await fsClient(t, 'acme');
      await c.call(
        'POST',
        '/api/v2/users/partner-id/u1/calculate_score.json',
        calculateBody({ user_ip: '192.168.1.20' }),
      );
      const user = await t.ctx.friendlyscore.users.get(c.tenantId, { type: 'partner-id', value: 'u1' });
      // A connector reports that both tokens were refused, and what Google granted.
      await t.ctx.dataRecords.add(c.tenantId, user.subjectId, [
        { kind: 'social.facebook', source: 'test', data: { token_valid: false } },
        { kind: 'social.linkedin', source: 'test', data: { token_valid: false } },
      ]);
      await t.ctx.queue.drain();
      const res = await c.call(
        'POST',
        '/api/v2/users/partner-id/u1/calculate_score.json',
        calculateBody({ user_ip: '192.168.1.20' }),
      );
      expect(res.statusCode).toBe(200);
      const score = await settledScore(c, 'partner_user_id=u1');
      expect(score.statusCode).toBe(204);
      expect(score.body).toBe('');
      expect((await c.call('GET', '/api/v2/users/partner-id/u1/show.json')).statusCode).toBe(204);
      expect((await c.call('GET', '/api/v2/users/partner-id/u1/show/data-points.json')).statusCode).toBe(204);
      // HEAD carries GET's headers: a 204 has no Content-Length (RFC 9110 §8.6).
      for (const method of ['GET', 'HEAD'] as const) {
        const res = await t.app.inject({
          method,
          url: '/friendlyscore/api/v2/users/partner-id/u1/show.json',
          headers: { authorization: `Bearer ${c.token}` },
        });
        expect(res.statusCode, method).toBe(204);
        expect(res.headers['content-length'], method).toBeUndefined();
      }
      // What the connectors said of the refused tokens is still what they read.
      expect(
        (await c.call('GET', '/api/v2/users/partner-id/u1/show/social-network-data.json')).json(),
      ).toEqual({
        user_id: '1',
        networks: { facebook: { token_valid: false }, linkedin: { token_valid: false } },
      });

      await t.ctx.dataRecords.add(c.tenantId, user.subjectId, [
        {
          kind: 'social.google',
          source: 'test',
          data: {
            scopes: ['https://www.googleapis.com/auth/userinfo.email'],
            name: 'Ada L.',
            emails: ['ada@example.com'],
          },
        },
      ]);
      await c.call(
        'POST',
        '/api/v2/users/partner-id/u1/calculate_score.json',
        calculateBody({ user_ip: '192.168.1.20' }),
      );
      expect((await settledScore(c, 'partner_user_id=u1')).statusCode).toBe(200);
      const show = (await c.call('GET', '/api/v2/users/partner-id/u1/show.json')).json();
      expect(show.name).toBe('Ada L.');
      expect(show.email).toBe('ada@example.com');
      expect(show.notices.ip_address_notice).toBe('Bad IPv4 address format or reserved IP address provided!');
      expect(show.notices.google_scopes_notice).toMatch(
        /^FriendlyScore uses more google api scopes than provided within access_token\. Missing scopes: https:\/\/www\.googleapis\.com\/auth\/plus\.login, .*\. Lack of scopes can lead to underestimated scoring result\.$/,
      );
    });

    it('lists users a page at a time, 20 by default and 200 at most', async () => {
      t = await createTestApp(engine);
      const c = await fsClient(t, 'acme');
      for (let i = 1; i <= 23; i++)
        await c.call('POST', `/api/v2/users/partner-id/p${i}/calculate_score.json`, calculateBody());
      await t.ctx.queue.drain();
      const first = (await c.call('GET', '/api/v2/users.json')).json();
      expect(first).toMatchObject({ page: 1, max_results: 20, total: 23, pages: 2 });
      // Under `results`, as the public SDK reads them (`$res->results[0]->id`), with `notices` at
      // the bottom, as the seed asks clients to check.
      expect(first.results).toHaveLength(20);
      expect(first.results[0]).toMatchObject({
        id: 1,
        partner_id: 'p1',
        notices: { ip_address_notice: null },
      });
      expect(Object.keys(first).at(-1)).toBe('notices');
      expect(first.notices).toEqual({ google_scopes_notice: null, ip_address_notice: null });
      const second = (await c.call('GET', '/api/v2/users.json?page=2')).json();
      expect(second.results.map((u: { id: number }) => u.id)).toEqual([21, 22, 23]);
      const big = (await c.call('GET', '/api/v2/users.json?max_results=500')).json();
      expect(big.max_results).toBe(200);
      expect(big.results).toHaveLength(23);
    });

    it("fills a user's email, mobile and age from the parsed CV where no network gives them", async () => {
      t = await createTestApp(engine, { clock: new ManualClock('2026-12-05T10:00:00Z') });
      const c = await fsClient(t, 'acme');
      await c.call('POST', '/api/v2/users/partner-id/cv1/calculate_score.json', calculateBody());
      await t.ctx.queue.drain();
      const user = await t.ctx.friendlyscore.users.get(c.tenantId, { type: 'partner-id', value: 'cv1' });
      const listed = async () => (await c.call('GET', '/api/v2/users.json')).json().results[0];
      expect(await listed()).toMatchObject({ email: null, mobile: null, age: null });
      await t.ctx.dataRecords.add(c.tenantId, user.subjectId, [
        { kind: 'cv.emails', source: 'connector', data: ['john.smith@example.com'] },
        { kind: 'cv.phones', source: 'connector', data: ['+254712345678'] },
        { kind: 'cv.days-of-birth', source: 'connector', data: ['1990-12-06'] },
      ]);
      expect(await listed()).toMatchObject({
        email: 'john.smith@example.com',
        mobile: '+254712345678',
        age: 35,
      });
      // A linked network's own profile comes first.
      await t.ctx.dataRecords.add(c.tenantId, user.subjectId, [
        { kind: 'social.facebook', source: 'connector', data: { email: 'ada@example.com', age: 41 } },
      ]);
      expect(await listed()).toMatchObject({ email: 'ada@example.com', mobile: '+254712345678', age: 41 });
    });

    it('shows submitted IP addresses and gathered data, and 204 for a source with nothing yet', async () => {
      t = await createTestApp(engine);
      const c = await fsClient(t, 'acme');
      await c.call('POST', '/api/v2/users/partner-id/u1/calculate_score.json', calculateBody());
      await t.ctx.queue.drain();
      // The first address again, written as an IPv4-mapped IPv6 address: still one address.
      await c.call(
        'POST',
        '/api/v2/users/partner-id/u1/calculate_score.json',
        calculateBody({ user_ip: '::ffff:41.90.64.10' }),
      );
      await t.ctx.queue.drain();
      await c.call(
        'POST',
        '/api/v2/users/partner-id/u1/calculate_score.json',
        calculateBody({ user_ip: '2a00:1450:4009:81d::200e' }),
      );
      await t.ctx.queue.drain();
      const ips = await c.call('GET', '/api/v2/users/partner-id/u1/show/ip-address-data.json');
      expect(ips.statusCode).toBe(200);
      expect(ips.json().ip_addresses).toEqual([
        expect.objectContaining({
          ip: '41.90.64.10',
          version: 4,
          valid_public_address: true,
          times_seen: 2,
          country_code: 'KE',
          country: 'Kenya',
          asn: 33771,
          organisation: 'Safaricom Limited',
          hosting: false,
          ip_address_notice: null,
        }),
        expect.objectContaining({
          ip: '2a00:1450:4009:81d::200e',
          version: 6,
          valid_public_address: true,
          country_code: 'IE',
          organisation: 'Google LLC',
          hosting: true,
        }),
      ]);
      expect(ips.json().device).toEqual({
        os: 'Android 13',
        browser: 'Chrome 120',
        device_type: 'mobile',
        mobile: true,
        source: 'claimed',
        contradictions: [],
      });
      for (const path of [
        'show/social-network-data.json',
        'facebook-data.json',
        'linkedin-data.json',
        'twitter-data.json',
        'google-data.json',
        'paypal-data.json',
        'instagram-data.json',
        'google/raw-file-data/places.json',
        'google/raw-file-data/days-of-birth.json',
        'google/raw-file-data/skills.json',
        'google/raw-file-data/phones.json',
        'google/raw-file-data/work-periods.json',
        'google/raw-file-data/universities.json',
        'google/raw-file-data/emails.json',
      ]) {
        const res = await c.call('GET', `/api/v2/users/id/1/${path}`);
        expect(res.statusCode, path).toBe(204);
      }
      // The fraud signals are assessed from what the request submitted.
      expect((await c.call('GET', '/api/v2/users/id/1/show/min-fraud-data.json')).json()).toMatchObject({
        risk_score: 30,
        reasons: [{ code: 'hosting_asn', weight: 30 }],
        ip_address: { ip: '2a00:1450:4009:81d::200e', organisation: 'Google LLC' },
      });
      const user = await t.ctx.friendlyscore.users.get(c.tenantId, { type: 'id', value: 1 });
      await t.ctx.dataRecords.add(c.tenantId, user.subjectId, [
        { kind: 'social.facebook', source: 'connector', data: { name: 'Ada', connections: 340 } },
        { kind: 'fraud.ip', source: 'connector', data: { risk_score: 0.5 } },
        { kind: 'cv.skills', source: 'connector', data: ['accounting', 'swahili'] },
      ]);
      expect((await c.call('GET', '/api/v2/users/id/1/facebook-data.json')).json()).toEqual({
        name: 'Ada',
        connections: 340,
      });
      expect((await c.call('GET', '/api/v2/users/id/1/show/min-fraud-data.json')).json()).toEqual({
        risk_score: 0.5,
      });
      expect((await c.call('GET', '/api/v2/users/id/1/google/raw-file-data/skills.json')).json()).toEqual([
        'accounting',
        'swahili',
      ]);
      // The gathered data now counts in the score.
      await c.call('POST', '/api/v2/users/id/1/calculate_score.json', calculateBody());
      const s = (await settledScore(c, 'id=1')).json();
      // Connections 340 (80 instead of 30), CV work missing still; the fraud signals reassessed from
      // the newest IP address (public, not hosting: risk 0) and no cv.work-periods. Only Facebook
      // is linked: its record confirms the token, while LinkedIn's connector was never reached (1
      // network: 50 instead of 90; no professional network: 0 instead of 50).
      expect(s.score).toBe(450 - 30 + 80 - 40 + 120 - 40 - 50);
    });

    it('records the positive flag, performance data and status, and shows them', async () => {
      t = await createConnectedTestApp(engine);
      const c = await fsClient(t, 'acme');
      await c.call('POST', '/api/v2/users/partner-id/u1/calculate_score.json', calculateBody());
      await t.ctx.queue.drain();
      expect((await c.call('PUT', '/api/v2/users/partner-id/u1/positive/1.json')).json()).toEqual({
        result: 'success',
        message: 'Positive flag set.',
        user_id: '1',
      });
      const perf = await c.call('POST', '/api/v2/users/id/1/performance-data.json', {
        loan_application_customer_id: 'APP-9',
        loan_application_date: '2024-05-17 14:30:00',
        loan_application_status: 'accepted',
        loan_value: '1500.50',
        loan_paid_capital: 300,
        loan_currency: 'kes',
        loan_term: '90',
        loan_status: 'arrears',
        loan_arrears_days: 12,
        loan_arrears_amount_overdue: 120.5,
        loan_is_installment: '1',
        comments: { positive: 2, negative: 0, neutral: '1' },
      });
      expect(perf.statusCode).toBe(200);
      const status = await c.call('POST', '/api/v2/users/id/1/status.json', {
        status: '3',
        status_description: 'Loan approved',
      });
      expect(status.statusCode).toBe(200);
      const show = (await c.call('GET', '/api/v2/users/id/1/show.json')).json();
      expect(show).toMatchObject({
        positive: true,
        status: 3,
        status_description: 'Loan approved',
        loan_amount: 1500.5,
        loan_currency: 'KES',
        loan_duration_in_days: 90,
      });
      const user = await t.ctx.friendlyscore.users.get(c.tenantId, { type: 'id', value: 1 });
      // The lender's free text is kept sealed; a text kept in plain before that is still read.
      const stored = () =>
        t.ctx.database.db
          .selectFrom('friendlyscore_users')
          .select('status_description')
          .where('subject_id', '=', user.subjectId)
          .executeTakeFirstOrThrow();
      expect((await stored()).status_description).toMatch(/^v1\./);
      expect((await stored()).status_description).not.toContain('Loan approved');
      await t.ctx.database.db
        .updateTable('friendlyscore_users')
        .set({ status_description: 'Kept before sealing' })
        .where('subject_id', '=', user.subjectId)
        .execute();
      expect((await c.call('GET', '/api/v2/users/id/1/show.json')).json().status_description).toBe(
        'Kept before sealing',
      );
      const principal = {
        tenantId: c.tenantId,
        clientId: '',
        credentialId: '',
        credentialType: 'test',
        scopes: [],
      };
      const outcomes = await t.ctx.outcomes.ofSubject(principal, user.subjectId);
      expect(outcomes.map((o) => [o.kind, o.status, o.source])).toEqual([
        ['application', 'accepted', 'friendlyscore'],
        ['feedback', 'positive', 'friendlyscore'],
        ['loan', 'arrears', 'friendlyscore'],
      ]);
      const loan = outcomes.find((o) => o.kind === 'loan')!;
      expect(loan).toMatchObject({
        loanId: 'APP-9',
        daysPastDue: 12,
        amountOverdue: 120.5,
        paidCapital: 300,
        installment: true,
      });
      expect(loan.details).toMatchObject({ comments: { positive: 2, negative: 0, neutral: 1 } });
      expect(outcomes.find((o) => o.kind === 'application')!.observedAt).toBe('2024-05-17T14:30:00.000Z');

      await c.call('PUT', '/api/v2/users/id/1/positive/0.json');
      expect((await c.call('GET', '/api/v2/users/id/1/show.json')).json().positive).toBe(false);
      // A PHP client's empty comments: `[]`, from json_encode of an empty array.
      const noComments = await c.call('POST', '/api/v2/users/id/1/performance-data.json', {
        loan_status: 'paid',
        comments: [],
      });
      expect(noComments.statusCode).toBe(200);
    });

    it('erases a user and everything kept about them, leaving an audit entry without personal data', async () => {
      t = await createConnectedTestApp(engine);
      const c = await fsClient(t, 'acme');
      const r = await receiver();
      await c.call(
        'POST',
        '/api/v2/users/partner-id/erase-me/calculate_score.json',
        calculateBody({ webhook: r.url }),
      );
      await settledScore(c, 'partner_user_id=erase-me');
      await r.waitFor(1);
      await c.call('PUT', '/api/v2/users/partner-id/erase-me/positive/1.json');
      const user = await t.ctx.friendlyscore.users.get(c.tenantId, { type: 'partner-id', value: 'erase-me' });
      const db = t.ctx.database.db;
      const count = async (
        table: 'score_runs' | 'outcomes' | 'subject_data' | 'score_requests' | 'webhook_deliveries',
      ) =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .where('subject_id', '=', user.subjectId)
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count('score_runs')).toBe(1);
      expect(await count('subject_data')).toBeGreaterThan(0);

      // Asked three times at the same moment: deleted once, and not found for the others.
      const dels = await Promise.all(
        [1, 2, 3].map(() => c.call('DELETE', '/api/v2/users/partner-id/erase-me/delete.json')),
      );
      const del = dels.find((d) => d.statusCode === 200)!;
      expect(del.json()).toEqual({ result: 'success', message: 'User deleted.', user_id: '1' });
      expect(dels.filter((d) => d.statusCode === 404).map((d) => d.json())).toEqual([
        { code: 404, message: 'User not found' },
        { code: 404, message: 'User not found' },
      ]);
      for (const table of [
        'score_runs',
        'outcomes',
        'subject_data',
        'score_requests',
        'webhook_deliveries',
      ] as const)
        expect(await count(table), table).toBe(0);
      expect(await db.selectFrom('subjects').selectAll().where('id', '=', user.subjectId).execute()).toEqual(
        [],
      );
      expect((await c.call('GET', '/api/v2/users/partner-id/erase-me/show.json')).statusCode).toBe(404);
      expect((await c.call('GET', '/api/v2/get_score.json?partner_user_id=erase-me')).statusCode).toBe(404);

      const entries = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'subject.erase')
        .execute();
      expect(entries).toHaveLength(1);
      expect(JSON.stringify(entries[0])).not.toContain('erase-me');
      expect(JSON.parse(entries[0]!.details)).toMatchObject({
        via: 'friendlyscore',
        scoreRuns: 1,
        outcomes: 1,
      });

      // The same partner id later is a new user.
      const again = await c.call(
        'POST',
        '/api/v2/users/partner-id/erase-me/calculate_score.json',
        calculateBody(),
      );
      expect(again.json().user_id).toBe('2');
      expect((await settledScore(c, 'partner_user_id=erase-me')).statusCode).toBe(200);
    });
  });
}

import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { BASE, calculateBody, type FsClient, fsClient } from '../../../../test/helpers/friendlyscore.js';

const EMPTY =
  'Bad parameters provided - access_tokens parameter is empty. It needs to contain at least one field: facebook, linkedin, google, paypal, twitter_user_id, twitter_screen_name, instagram.';

for (const engine of ENGINES) {
  describe(`FriendlyScore dialect on ${engine}: errors`, () => {
    let t: TestApp;
    let c: FsClient;
    afterEach(async () => t.close());
    const setup = async (o: Parameters<typeof createTestApp>[1] = {}) => {
      t = await createTestApp(engine, o);
      c = await fsClient(t, 'acme');
    };
    const token = (payload: unknown, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: `${BASE}/oauth/v2/token`, payload: payload as string, headers });

    it('answers token requests with RFC 6749 errors', async () => {
      await setup();
      const bad = await token({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: 'nope',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({
        error: 'invalid_client',
        error_description: 'The client credentials are invalid',
      });
      const unknown = await token({
        grant_type: 'client_credentials',
        client_id: 'ocl_nope',
        client_secret: c.clientSecret,
      });
      expect(unknown.json()).toEqual({
        error: 'invalid_client',
        error_description: 'The client credentials are invalid',
      });
      const basic = await token('grant_type=client_credentials', {
        authorization: `Basic ${Buffer.from(`${c.clientId}:wrong`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(basic.statusCode).toBe(401);
      expect(basic.headers['www-authenticate']).toBe('Basic realm="Service"');
      expect(basic.json().error).toBe('invalid_client');

      const missing = await token({ client_id: c.clientId, client_secret: c.clientSecret });
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toEqual({
        error: 'invalid_request',
        error_description: 'Invalid grant_type parameter or parameter missing',
      });
      const password = await token({
        grant_type: 'password',
        client_id: c.clientId,
        client_secret: c.clientSecret,
      });
      expect(password.json().error).toBe('unsupported_grant_type');
      const both = await token(
        { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret },
        { authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}` },
      );
      expect(both.json().error).toBe('invalid_request');
      const scope = await token({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        scope: 'friendlyscore',
      });
      expect(scope.json().scope).toBe('friendlyscore');
      // Even a client allowed every scope may not ask for one that grants nothing.
      const nonsense = await token({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        scope: 'nonsense',
      });
      expect(nonsense.statusCode).toBe(400);
      expect(nonsense.json()).toEqual({
        error: 'invalid_scope',
        error_description: 'An unsupported scope was requested.',
      });
      const narrow = await t.ctx.oauthClients.create({
        tenant: 'acme',
        grants: ['client_credentials'],
        scopes: ['friendlyscore'],
      });
      const wider = await token({
        grant_type: 'client_credentials',
        client_id: narrow.clientId,
        client_secret: narrow.clientSecret,
        scope: 'models:write',
      });
      expect(wider.json()).toEqual({
        error: 'invalid_scope',
        error_description: 'An unsupported scope was requested.',
      });
      // A shared HTTP client still sending its last token: the header is no client credentials.
      for (const authorization of ['Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln', 'Token abc']) {
        const stale = await token(
          { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret },
          { authorization },
        );
        expect(stale.statusCode, authorization).toBe(200);
        expect(stale.json().token_type).toBe('bearer');
      }
      const notJson = await token('{"grant_type":', { 'content-type': 'application/json' });
      expect(notJson.statusCode).toBe(400);
      expect(notJson.json().error).toBe('invalid_request');
    });

    it("answers calculate_score's bad parameters with the seed's bodies", async () => {
      await setup();
      const noIp = await c.call('POST', '/api/v2/users/partner-id/test/calculate_score.json', {
        access_tokens: { facebook: 'x' },
      });
      expect(noIp.statusCode).toBe(404);
      expect(noIp.json()).toEqual({
        error:
          'Client error: `POST http://localhost:80/friendlyscore/api/v2/users/partner-id/test/calculate_score.json` resulted in a `404 Not Found` response:{"result":"error","message":"Bad parameters provided - IP Address is mandatory!","user_id":"test"}',
      });
      // The seed's order holds whatever else is wrong: no IP address is said first.
      for (const other of [{ access_tokens: 5 }, { access_tokens: { facebook: 'x' }, user_agent: 7 }]) {
        const res = await c.call('POST', '/api/v2/users/partner-id/test/calculate_score.json', other);
        expect(res.statusCode).toBe(404);
        expect(res.json()).toEqual(noIp.json());
      }
      // `[]` is how PHP's json_encode writes an empty associative array: no tokens either.
      for (const tokens of [undefined, {}, { facebook: '' }, '', { twitter_secret: 's3cret' }, []]) {
        const res = await c.call('POST', '/api/v2/users/partner-id/123456789/calculate_score.json', {
          user_ip: '8.8.8.8',
          ...(tokens !== undefined ? { access_tokens: tokens } : {}),
        });
        expect(res.statusCode).toBe(404);
        expect(res.json()).toEqual({ result: 'error', message: EMPTY, user_id: '123456789' });
      }
      const cases: [Record<string, unknown>, string][] = [
        [{ access_tokens: { myspace: 'x' } }, 'access_tokens.myspace is not supported'],
        [{ access_tokens: ['x'] }, 'access_tokens must be an object'],
        [{ access_tokens: 5 }, 'access_tokens must be an object'],
        [
          { access_tokens: { facebook: 'x', twitter_secret: 's' } },
          'access_tokens.twitter_secret needs access_tokens.twitter',
        ],
        [{ user_agent: 'not json' }, 'user_agent must be a JSON object'],
        [{ user_agent: '{"mobile":"sometimes"}' }, 'user_agent.mobile must be true or false'],
        // JSON text in a field is read as a JSON body is: what no text or number can be is refused.
        [{ user_agent: '{"os":"\\u0000"}' }, 'user_agent.os holds the NUL character'],
        [{ user_agent: '{"browser":"\\ud800"}' }, 'user_agent.browser holds text that is not valid Unicode'],
        [{ access_tokens: '{"facebook":"\\ud800"}' }, 'access_tokens.facebook holds text that is not valid'],
        [{ access_tokens: '{"facebook":1e400}' }, 'access_tokens.facebook is a number too large'],
        [{ webhook: 'ftp://example.com/x' }, 'webhook must be an http or https URL'],
        [{ webhook: 'not a url' }, 'webhook is not a valid URL'],
        [{ user_ip: 42 }, 'user_ip must be an IP address'],
      ];
      for (const [change, message] of cases) {
        const res = await c.call(
          'POST',
          '/api/v2/users/partner-id/u1/calculate_score.json',
          calculateBody(change),
        );
        expect(res.statusCode, message).toBe(404);
        expect(res.json().result).toBe('error');
        expect(res.json().message).toContain(`Bad parameters provided - ${message}`);
        expect(res.json().user_id).toBe('u1');
      }
      const old = await c.call('POST', '/api/v2/calculate_score.json', calculateBody());
      expect(old.json()).toEqual({
        result: 'error',
        message: 'Bad parameters provided - partner_user_id is mandatory!',
        user_id: '',
      });
      // Nothing was stored for the refused requests.
      expect((await c.call('GET', '/api/v2/users.json')).json().total).toBe(0);
    });

    it('does not know users it never saw, nor id-types it does not serve', async () => {
      await setup();
      const id = await c.call('POST', '/api/v2/users/id/99/calculate_score.json', calculateBody());
      expect(id.statusCode).toBe(404);
      expect(id.json()).toEqual({ code: 404, message: 'User not found' });
      for (const path of [
        '/api/v2/users/id/7/show.json',
        '/api/v2/users/partner-id/ghost/show.json',
        '/api/v2/users/id/abc/get_score.json',
        '/api/v2/get_score.json?partner_user_id=ghost',
      ])
        expect((await c.call('GET', path)).json(), path).toEqual({ code: 404, message: 'User not found' });
      const type = await c.call('GET', '/api/v2/users/email/a@b.c/show.json');
      expect(type.statusCode).toBe(404);
      expect(type.json()).toEqual({
        code: 404,
        message: 'No route found for "GET /friendlyscore/api/v2/users/email/a@b.c/show.json"',
      });
      // Before the token and the body are read, whatever the method.
      for (const [method, headers, payload] of [
        ['GET', {}, undefined],
        ['POST', { authorization: `Bearer ${c.token}` }, 'x=1'],
        ['POST', { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' }, '{bad'],
        ['POST', { authorization: `Bearer ${c.token}`, 'content-type': 'application/xml' }, '<a/>'],
      ] as const) {
        const res = await t.app.inject({
          method,
          url: `${BASE}/api/v2/users/foo/1/status.json`,
          headers,
          ...(payload !== undefined ? { payload } : {}),
        });
        expect(res.statusCode, `${method} ${payload}`).toBe(404);
        expect(res.json().message).toBe(
          `No route found for "${method} /friendlyscore/api/v2/users/foo/1/status.json"`,
        );
      }
      const route = await c.call('GET', '/api/v2/nothing.json');
      expect(route.json()).toEqual({
        code: 404,
        message: 'No route found for "GET /friendlyscore/api/v2/nothing.json"',
      });
      const neither = await c.call('GET', '/api/v2/get_score.json');
      expect(neither.statusCode).toBe(400);
    });

    it('validates the positive flag, performance data and status', async () => {
      await setup();
      await c.call('POST', '/api/v2/users/partner-id/u1/calculate_score.json', calculateBody());
      const flag = await c.call('PUT', '/api/v2/users/id/1/positive/2.json');
      expect(flag.statusCode).toBe(400);
      expect(flag.json()).toEqual({
        code: 400,
        message: 'Bad parameters provided - positive-val must be 1 (positive) or 0 (negative)',
      });
      const cases: [Record<string, unknown>, string][] = [
        [
          { loan_application_status: 'accepted', loan_application_date: '2024-05-17' },
          'loan_application_date must be a date and time as YYYY-mm-dd H:i:s',
        ],
        [
          { loan_application_status: 'accepted', loan_application_date: '2024-02-30 10:00:00' },
          'loan_application_date must be a date and time',
        ],
        [
          { loan_application_status: 'accepted', loan_application_date: '2999-01-01 10:00:00' },
          'loan_application_date is in the future: report an application once it is decided',
        ],
        [
          { loan_application_status: 'maybe' },
          'loan_application_status must be one of: accepted, declined, drop-off',
        ],
        [{ loan_status: 'late' }, 'loan_status must be one of: active, arrears, paid'],
        [{ loan_status: 'active', loan_value: 'lots' }, 'loan_value must be a number'],
        [{ loan_status: 'active', loan_value: '-5' }, 'loan_value must be a number of at least 0'],
        // Written with an exponent, as PHP's floatval reads it: within bounds or not, the bound is said.
        [{ loan_status: 'active', loan_value: '1e13' }, 'loan_value must be at most 1000000000000'],
        [{ loan_status: 'active', loan_term: 1.5 }, 'loan_term must be a whole number of at least 0'],
        [{ loan_status: 'active', loan_currency: 'pounds' }, 'loan_currency must be at most 3 characters'],
        [{ loan_status: 'active', loan_currency: 'ZZZ' }, 'loan_currency must be an ISO 4217 code'],
        [{ loan_status: 'active', loan_value: 1e308 }, 'loan_value must be at most 1000000000000'],
        [{ loan_status: 'active', loan_paid_capital: '1000000000001' }, 'loan_paid_capital must be at most'],
        [{ loan_status: 'active', loan_term: 1e20 }, 'loan_term must be at most 36500'],
        [{ loan_status: 'arrears', loan_arrears_days: 36501 }, 'loan_arrears_days must be at most 36500'],
        [{ loan_status: 'paid', comments: { positive: 1e7 } }, 'comments.positive must be at most 1000000'],
        [{ loan_status: 'active', loan_is_installment: 'yes' }, 'loan_is_installment must be 1 or 0'],
        [{ loan_value: 100 }, 'loan_status is required with the loan fields'],
        [{ loan_status: 'paid', comments: { happy: 1 } }, 'comments.happy is not allowed'],
        [{ loan_status: 'paid', shoe_size: 9 }, 'shoe_size is not a performance-data field'],
        [{}, 'give loan_application_status or loan_status'],
      ];
      for (const [body, message] of cases) {
        const res = await c.call('POST', '/api/v2/users/id/1/performance-data.json', body);
        expect(res.statusCode, message).toBe(400);
        expect(res.json().message, message).toContain(`Bad parameters provided - ${message}`);
      }
      const status = await c.call('POST', '/api/v2/users/id/1/status.json', { status_description: 'x' });
      expect(status.json()).toEqual({ code: 400, message: 'Bad parameters provided - status is mandatory' });
      const page = await c.call('GET', '/api/v2/users.json?page=0');
      expect(page.statusCode).toBe(400);
      expect(page.json().code).toBe(400);
    });

    it('takes an integer query parameter only in decimal digits', async () => {
      await setup();
      for (const name of ['page', 'max_results']) {
        for (const value of ['0x1', '1e2', ' 1', '+1', '1.0', '- 1']) {
          const res = await c.call('GET', `/api/v2/users.json?${name}=${encodeURIComponent(value)}`);
          expect(res.statusCode, `${name}=${value}`).toBe(400);
          expect(res.json(), `${name}=${value}`).toEqual({
            code: 400,
            message: `Bad parameters provided - ${name} must be an integer`,
          });
        }
      }
      // A negative number is an integer, refused as out of range as 0 is.
      const negative = await c.call('GET', '/api/v2/users.json?page=-1');
      const zero = await c.call('GET', '/api/v2/users.json?page=0');
      expect(negative.statusCode).toBe(400);
      expect(negative.json()).toEqual(zero.json());
      const plain = await c.call('GET', '/api/v2/users.json?page=01&max_results=5');
      expect(plain.json()).toMatchObject({ page: 1, max_results: 5 });
    });

    it('answers the small cases plainly', async () => {
      await setup();
      const odd = await c.call(
        'POST',
        '/api/v2/calculate_score.json',
        calculateBody({ partner_user_id: { a: 1 } }),
      );
      expect(odd.json()).toEqual({
        result: 'error',
        message: 'Bad parameters provided - partner_user_id must be a string of at most 255 characters',
        user_id: '',
      });
      const both = await c.call('GET', '/api/v2/get_score.json?partner_user_id=u1&id=1');
      expect(both.json()).toEqual({
        code: 400,
        message: 'Bad parameters provided - give partner_user_id or id, not both',
      });
      await c.call('POST', '/api/v2/users/partner-id/u1/calculate_score.json', calculateBody());
      // An empty page or max_results is one not given.
      const page = await c.call('GET', '/api/v2/users.json?page=&max_results=');
      expect(page.statusCode).toBe(200);
      expect(page.json()).toMatchObject({ page: 1, max_results: 20, total: 1 });
      // A status is shown as a number only when written as one.
      for (const [sent, shown] of [
        ['007', '007'],
        ['7', 7],
        ['0', 0],
        ['-3', -3],
      ] as const) {
        await c.call('POST', '/api/v2/users/id/1/status.json', { status: sent });
        expect((await c.call('GET', '/api/v2/users.json')).json().results[0].status, sent).toBe(shown);
      }
    });

    it('refuses a NUL character in any parameter, which no database text can keep', async () => {
      await setup();
      const path = await c.call(
        'POST',
        '/api/v2/users/partner-id/a%00b/calculate_score.json',
        calculateBody(),
      );
      expect(path.statusCode).toBe(404);
      expect(path.json()).toEqual({
        result: 'error',
        message: 'Bad parameters provided - id holds the NUL character (%00), which text may not contain',
        user_id: 'a\u0000b',
      });
      const deprecated = await c.call(
        'POST',
        '/api/v2/calculate_score.json',
        calculateBody({ partner_user_id: 'a\u0000b' }),
      );
      expect(deprecated.json()).toMatchObject({
        message: expect.stringMatching(/^Bad parameters provided - partner_user_id holds the NUL character/),
      });
      await c.call('POST', '/api/v2/users/partner-id/u1/calculate_score.json', calculateBody());
      for (const [method, url, body, field] of [
        ['GET', '/api/v2/get_score.json?partner_user_id=a%00b', undefined, 'partner_user_id'],
        ['GET', '/api/v2/users/partner-id/a%00b/show.json', undefined, 'id'],
        ['POST', '/api/v2/users/id/1/status.json', { status: 'x\u0000' }, 'status'],
        [
          'POST',
          '/api/v2/users/id/1/status.json',
          { status: 'x', status_description: 'y\u0000' },
          'status_description',
        ],
        [
          'POST',
          '/api/v2/users/id/1/performance-data.json',
          { loan_status: 'paid', loan_application_customer_id: 'A\u00009' },
          'loan_application_customer_id',
        ],
      ] as const) {
        const res = await c.call(method, url, body);
        expect(res.statusCode, url).toBe(400);
        expect(res.json()).toEqual({
          code: 400,
          message: expect.stringMatching(
            new RegExp(`^Bad parameters provided - ${field} holds the NUL character`),
          ),
        });
      }
      expect((await c.call('GET', '/api/v2/users.json')).json()).toMatchObject({ total: 1 });
    });

    it('refuses webhooks to private addresses unless they are allowed', async () => {
      await setup({ config: { webhookAllowPrivate: false } });
      for (const url of [
        'http://127.0.0.1:9/hook',
        'http://10.0.0.5/hook',
        'http://[::1]/hook',
        'http://169.254.169.254/latest',
        'http://localhost/x',
        // The same names written fully qualified.
        'http://localhost./x',
        'http://api.localhost./x',
        'http://127.0.0.1./x',
      ]) {
        const res = await c.call(
          'POST',
          '/api/v2/users/partner-id/u1/calculate_score.json',
          calculateBody({ webhook: url }),
        );
        expect(res.statusCode, url).toBe(404);
        expect(res.json().message, url).toMatch(
          /^Bad parameters provided - webhook points to a (private, loopback or reserved|loopback) address$/,
        );
      }
    });
  });
}

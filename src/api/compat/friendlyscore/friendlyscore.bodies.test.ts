import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { BASE, calculateBody, type FsClient, fsClient } from '../../../../test/helpers/friendlyscore.js';

const BOUNDARY = '----credence-test-boundary';

/** A multipart/form-data body of text fields, and a file when given, as curl -F sends it. */
function multipart(fields: [string, string][], file?: { name: string; content: string }) {
  const parts = fields.map(
    ([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  if (file)
    parts.push(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.name}"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${file.content}\r\n`,
    );
  return {
    payload: `${parts.join('')}--${BOUNDARY}--\r\n`,
    type: `multipart/form-data; boundary=${BOUNDARY}`,
  };
}

for (const engine of ENGINES) {
  describe(`FriendlyScore dialect on ${engine}: request bodies`, () => {
    let t: TestApp;
    let c: FsClient;
    afterEach(async () => t.close());
    const setup = async () => {
      t = await createTestApp(engine);
      c = await fsClient(t, 'acme');
    };
    const post = (path: string, payload: string | Buffer, contentType?: string) =>
      t.app.inject({
        method: 'POST',
        url: `${BASE}${path}`,
        headers: {
          authorization: `Bearer ${c.token}`,
          ...(contentType !== undefined ? { 'content-type': contentType } : {}),
        },
        payload,
      });

    it('keeps the last value of a plain form field given twice, as PHP does', async () => {
      await setup();
      const form = 'access_tokens[facebook]=EAAB-x&user_ip=10.0.0.1&user_ip=8.8.8.8';
      const res = await post(
        '/api/v2/users/partner-id/dup/calculate_score.json',
        form,
        'application/x-www-form-urlencoded',
      );
      expect(res.statusCode).toBe(200);
      const ips = await c.call('GET', '/api/v2/users/id/1/show/ip-address-data.json');
      expect(ips.json().ip_addresses.map((a: { ip: string }) => a.ip)).toEqual(['8.8.8.8']);
    });

    it('refuses a form field holding a NUL, which no database text can keep, and stores nothing', async () => {
      await setup();
      const form = 'access_tokens[facebook]=EAAB-x&user_ip=8.8.8.8';
      const calc = await post(
        '/api/v2/users/partner-id/u1/calculate_score.json',
        form,
        'application/x-www-form-urlencoded',
      );
      expect(calc.statusCode).toBe(200);
      const res = await post(
        '/api/v2/users/id/1/status.json',
        'status=2&status_description=a%00b',
        'application/x-www-form-urlencoded',
      );
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        code: 400,
        message:
          'Bad parameters provided - status_description holds the NUL character (%00), which text may not contain',
      });
      expect((await c.call('GET', '/api/v2/users.json')).json().results[0].status).toBeNull();
    });

    it('refuses a body that is not UTF-8 rather than keep its text mangled', async () => {
      await setup();
      const latin1 = Buffer.from('status=2&status_description=Aprobado por José', 'latin1');
      const calc = await post(
        '/api/v2/users/partner-id/u1/calculate_score.json',
        'access_tokens[facebook]=EAAB-x&user_ip=8.8.8.8',
        'application/x-www-form-urlencoded',
      );
      expect(calc.statusCode).toBe(200);
      const res = await t.app.inject({
        method: 'POST',
        url: `${BASE}/api/v2/users/id/1/status.json`,
        headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: latin1,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/not UTF-8/);
      expect((await c.call('GET', '/api/v2/users.json')).json().results[0].status).toBeNull();
    });

    it('refuses percent-encoded bytes that are not UTF-8, in a form and in the query string, and stores nothing', async () => {
      await setup();
      const calc = await post(
        '/api/v2/users/partner-id/u1/calculate_score.json',
        'access_tokens[facebook]=EAAB-x&user_ip=8.8.8.8',
        'application/x-www-form-urlencoded',
      );
      expect(calc.statusCode).toBe(200);
      for (const form of ['status=2&status_description=caf%E9', 'status=2&status_description=%C0%AE']) {
        const res = await post('/api/v2/users/id/1/status.json', form, 'application/x-www-form-urlencoded');
        expect(res.statusCode, form).toBe(400);
        expect(res.json()).toEqual({ code: 400, message: expect.stringMatching(/not UTF-8 text/) });
      }
      expect((await c.call('GET', '/api/v2/users.json')).json().results[0].status).toBeNull();
      // The partner id of a form or of the query string: no user is made, or found, as `%E9`.
      const byForm = await post(
        '/api/v2/calculate_score.json',
        'partner_user_id=%E9&access_tokens[facebook]=EAAB-x&user_ip=8.8.8.8',
        'application/x-www-form-urlencoded',
      );
      // calculate_score's own answer to a bad parameter, as the seed gives it.
      expect(byForm.statusCode).toBe(404);
      expect(byForm.json()).toEqual({
        result: 'error',
        message: expect.stringMatching(/^Bad parameters provided - .*not UTF-8 text/),
        user_id: '',
      });
      const byQuery = await c.call('GET', '/api/v2/get_score.json?partner_user_id=%E9');
      expect(byQuery.statusCode).toBe(400);
      expect(byQuery.json().message).toMatch(/not UTF-8 text/);
      expect((await c.call('GET', '/api/v2/users.json')).json().results).toHaveLength(1);
      // What is UTF-8 reads as usual, `+` as a space and a stray `%` as itself, as PHP reads them.
      const ok = await post(
        '/api/v2/users/id/1/status.json',
        'status=2&status_description=Aprobado+por+Jos%C3%A9+100%',
        'application/x-www-form-urlencoded',
      );
      expect(ok.statusCode).toBe(200);
      expect((await c.call('GET', '/api/v2/users.json')).json().results[0]).toMatchObject({
        status: 2,
        status_description: 'Aprobado por José 100%',
      });
    });

    it('keeps the last value of a query parameter given twice, as PHP does', async () => {
      await setup();
      for (const n of [1, 2, 3])
        expect(
          (await c.call('POST', `/api/v2/users/partner-id/q${n}/calculate_score.json`, calculateBody()))
            .statusCode,
        ).toBe(200);
      const res = await c.call('GET', '/api/v2/users.json?page=9&page=1');
      expect(res.statusCode).toBe(200);
      expect(res.json().results).toHaveLength(3);
    });

    it('reads multipart/form-data text fields like form fields, PHP brackets included', async () => {
      await setup();
      const calc = multipart(
        [
          ['user_ip', '8.8.8.8'],
          ['access_tokens[facebook]', 'EAAB-x'],
          ['user_agent', '{"os":"Android 13","browser":"Chrome 120","mobile":true}'],
        ],
        { name: 'user_ip', content: 'a file is not a field' },
      );
      const res = await post('/api/v2/users/partner-id/mp-1/calculate_score.json', calc.payload, calc.type);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ result: 'success', message: 'Queued for calculation.', user_id: '1' });
      const ips = await c.call('GET', '/api/v2/users/id/1/show/ip-address-data.json');
      expect(ips.json().ip_addresses.map((a: { ip: string }) => a.ip)).toEqual(['8.8.8.8']);

      const status = multipart([
        ['status', '2'],
        ['status_description', 'Approved'],
      ]);
      const saved = await post('/api/v2/users/id/1/status.json', status.payload, status.type);
      expect(saved.json()).toEqual({ result: 'success', message: 'Status saved.', user_id: '1' });

      const perf = multipart([
        ['loan_status', 'active'],
        ['loan_value', '1500.50'],
        ['comments[positive]', '2'],
      ]);
      const recorded = await post('/api/v2/users/id/1/performance-data.json', perf.payload, perf.type);
      expect(recorded.statusCode).toBe(200);

      const creds = multipart([
        ['grant_type', 'client_credentials'],
        ['client_id', c.clientId],
        ['client_secret', c.clientSecret],
      ]);
      const token = await t.app.inject({
        method: 'POST',
        url: `${BASE}/oauth/v2/token`,
        headers: { 'content-type': creds.type },
        payload: creds.payload,
      });
      expect(token.statusCode).toBe(200);
      expect(token.json().token_type).toBe('bearer');

      // Fields are UTF-8 text, as a urlencoded form's: "é" is kept, a Latin-1 byte is refused.
      const accented = multipart([
        ['status', '2'],
        ['status_description', 'Approuvé, café'],
      ]);
      const kept = await post('/api/v2/users/id/1/status.json', Buffer.from(accented.payload), accented.type);
      expect(kept.statusCode).toBe(200);
      const latin1 = multipart([
        ['status', '3'],
        ['status_description', 'caf\u00e9'],
      ]);
      const refused = await post(
        '/api/v2/users/id/1/status.json',
        Buffer.from(latin1.payload, 'latin1'),
        latin1.type,
      );
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toEqual({
        code: 400,
        message: 'Bad parameters provided - request body is not UTF-8 text (a form must be sent as UTF-8)',
      });
      const users = JSON.stringify((await c.call('GET', '/api/v2/users.json')).json());
      expect(users).toContain('Approuvé, café');
      expect(users).not.toContain('\ufffd');

      const broken = await post(
        '/api/v2/users/id/1/status.json',
        'not multipart at all',
        `multipart/form-data; boundary=${BOUNDARY}`,
      );
      expect(broken.statusCode).toBe(400);
      expect(broken.json()).toEqual({
        code: 400,
        message: 'Bad parameters provided - request body is not valid multipart/form-data',
      });
    });

    it('answers 415 for a body type it cannot read, and 413 for a body over 1 MiB', async () => {
      await setup();
      const message =
        'Content-Type application/xml is not supported; send application/json, application/x-www-form-urlencoded or multipart/form-data';
      const xml = '<request><user_ip>8.8.8.8</user_ip></request>';
      for (const path of [
        '/api/v2/users/partner-id/x/calculate_score.json',
        '/api/v2/calculate_score.json',
      ]) {
        const res = await post(path, xml, 'application/xml');
        expect(res.statusCode, path).toBe(415);
        expect(res.json(), path).toEqual({ code: 415, message });
      }
      const status = await post('/api/v2/users/partner-id/x/status.json', xml, 'application/xml');
      expect(status.statusCode).toBe(415);
      expect(status.json()).toEqual({ code: 415, message });

      const big = JSON.stringify(calculateBody({ padding: 'x'.repeat(1024 * 1024) }));
      const res = await post('/api/v2/users/partner-id/x/calculate_score.json', big, 'application/json');
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ code: 413, message: 'request body is larger than the 1 MiB limit' });
      // Nothing was stored for the refused requests.
      expect((await c.call('GET', '/api/v2/users.json')).json().total).toBe(0);
    });

    it('reads an empty body as no fields, so each route says what is missing', async () => {
      await setup();
      await c.call('POST', '/api/v2/users/partner-id/u1/calculate_score.json', calculateBody());
      const noIp = await post('/api/v2/users/partner-id/u1/calculate_score.json', '');
      expect(noIp.statusCode).toBe(404);
      expect(noIp.json().error).toContain('Bad parameters provided - IP Address is mandatory!');
      const status = await post('/api/v2/users/id/1/status.json', '');
      expect(status.json()).toEqual({ code: 400, message: 'Bad parameters provided - status is mandatory' });
      const perf = await post('/api/v2/users/id/1/performance-data.json', '');
      expect(perf.json()).toEqual({
        code: 400,
        message: 'Bad parameters provided - give loan_application_status or loan_status',
      });
      const token = await t.app.inject({ method: 'POST', url: `${BASE}/oauth/v2/token` });
      expect(token.statusCode).toBe(400);
      expect(token.json()).toEqual({
        error: 'invalid_request',
        error_description: 'Invalid grant_type parameter or parameter missing',
      });
    });

    it('refuses a users.json page beyond the last one it can read, without failing', async () => {
      await setup();
      // (`1e20` is no page at all: friendlyscore.error.test.ts, decimal digits.)
      for (const page of ['4611686018427387904', '10000001']) {
        const res = await c.call('GET', `/api/v2/users.json?page=${page}`);
        expect(res.statusCode, page).toBe(400);
        expect(res.json().message, page).toMatch(/^Bad parameters provided - page must be <= 10000000/);
      }
      const last = await c.call('GET', '/api/v2/users.json?page=10000000&max_results=200');
      expect(last.statusCode).toBe(200);
      expect(last.json()).toMatchObject({ page: 10000000, total: 0, results: [] });
    });
  });
}

import { Writable } from 'node:stream';
import { generateKeyPair, SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { clientKey, keyedClientWithSecret } from '../../../../test/helpers/client-keys.js';
import { ManualClock } from '../../../../test/helpers/clock.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import {
  BASE,
  calculateBody,
  createConnectedTestApp,
  fsClient,
} from '../../../../test/helpers/friendlyscore.js';
import { tamperedSignature } from '../../../../test/helpers/secrets.js';
import type { Config } from '../../../config.js';
import { scopedToSchema } from '../../../db/schema-introspector.js';
import { loggerOptions } from '../../logger-options.js';

const INVALID = { error: 'invalid_grant', error_description: 'The access token provided is invalid.' };
const MISSING = { code: 401, message: 'Unauthorized' };
const invalidRequest = (description: string) => ({
  error: 'invalid_request',
  error_description: description,
});
const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

for (const engine of ENGINES) {
  describe(`FriendlyScore dialect on ${engine}: security`, () => {
    let t: TestApp;
    afterEach(async () => t.close());
    const get = (token: string | undefined, path = '/api/v2/users.json') =>
      t.app.inject({
        method: 'GET',
        url: `${BASE}${path}`,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });

    it('answers 401 without a token, with the seed body', async () => {
      t = await createTestApp(engine);
      const res = await t.app.inject({
        method: 'POST',
        url: `${BASE}/api/v2/users/partner-id/x/calculate_score.json`,
        payload: calculateBody(),
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: 401, message: 'Unauthorized' });
      expect((await get('')).json()).toEqual({ code: 401, message: 'Unauthorized' });
    });

    it('refuses an expired token', async () => {
      const clock = new ManualClock('2025-03-01T10:00:00Z');
      t = await createTestApp(engine, { clock });
      const c = await fsClient(t, 'acme');
      expect((await get(c.token)).statusCode).toBe(200);
      clock.advance(3600 * 1000 + 1000);
      const res = await get(c.token);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'The access token provided has expired.',
      });
      expect(res.headers['www-authenticate']).toContain('error="invalid_grant"');
    });

    it('refuses a token with a wrong signature, alg none, another algorithm, or from another issuer', async () => {
      t = await createTestApp(engine);
      const c = await fsClient(t, 'acme');
      const [header, payload, signature] = c.token.split('.') as [string, string, string];
      expect((await get(tamperedSignature(c.token))).json()).toEqual(INVALID);

      // The payload changed to another tenant, signature kept.
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = `${header}.${b64({ ...claims, ten: 'ten_someone_else' })}.${signature}`;
      expect((await get(forged)).statusCode).toBe(401);

      const kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid;
      const none = `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${payload}.`;
      expect((await get(none)).json()).toEqual(INVALID);

      const hs = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
        .sign(new TextEncoder().encode('a-shared-secret-anyone-could-guess'));
      expect((await get(hs)).json()).toEqual(INVALID);

      // A well-formed ES256 token signed by a key that is not ours, even naming our key id.
      const { privateKey } = await generateKeyPair('ES256');
      const foreign = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
        .sign(privateKey);
      expect((await get(foreign)).json()).toEqual(INVALID);

      expect((await get('not-a-jwt')).json()).toEqual(INVALID);
    });

    it("refuses a token meant for another API, and a revoked client's tokens", async () => {
      t = await createTestApp(engine);
      const c = await fsClient(t, 'acme');
      const client = await t.ctx.oauthClients.authenticate(c.clientId, c.clientSecret);
      const other = await t.ctx.tokens.issue(client!, { audience: 'camara' });
      expect((await get(other.accessToken)).json()).toEqual(INVALID);

      await t.ctx.oauthClients.revoke(c.clientId);
      expect((await get(c.token)).json()).toEqual(INVALID);
      const again = await t.app.inject({
        method: 'POST',
        url: `${BASE}/oauth/v2/token`,
        payload: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret },
      });
      expect(again.json().error).toBe('invalid_client');
    });

    it('refuses the secret of a client registered with keys, as a wrong secret', async () => {
      t = await createTestApp(engine);
      await t.ctx.tenants.create('acme');
      const keyed = await keyedClientWithSecret(t, {
        tenant: 'acme',
        grants: ['client_credentials'],
        jwks: (await clientKey()).jwks,
      });
      const plain = await t.ctx.oauthClients.create({ tenant: 'acme', grants: ['client_credentials'] });
      const token = (client_id: string, client_secret: string, basic: boolean) =>
        t.app.inject({
          method: 'POST',
          url: `${BASE}/oauth/v2/token`,
          headers: basic
            ? { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}` }
            : {},
          payload: { grant_type: 'client_credentials', ...(basic ? {} : { client_id, client_secret }) },
        });
      // This dialect takes secrets only, so a client with keys gets no token here.
      for (const basic of [false, true]) {
        const wrong = await token(plain.clientId, 'crd_cs_wrong', basic);
        const refused = await token(keyed.clientId, keyed.clientSecret, basic);
        expect(wrong.json().error).toBe('invalid_client');
        expect([refused.statusCode, refused.headers['www-authenticate'], refused.json()]).toEqual([
          wrong.statusCode,
          wrong.headers['www-authenticate'],
          wrong.json(),
        ]);
        expect((await token(plain.clientId, plain.clientSecret, basic)).statusCode).toBe(200);
      }
    });

    it("never shows one tenant another tenant's users, and refuses a client without the scope", async () => {
      t = await createConnectedTestApp(engine);
      const a = await fsClient(t, 'acme');
      const b = await fsClient(t, 'globex');
      await a.call('POST', '/api/v2/users/partner-id/shared-id/calculate_score.json', calculateBody());
      await t.ctx.queue.drain();
      for (const path of [
        '/api/v2/users/id/1/show.json',
        '/api/v2/users/partner-id/shared-id/show.json',
        '/api/v2/get_score.json?partner_user_id=shared-id',
        '/api/v2/users/id/1/show/ip-address-data.json',
        '/api/v2/users/id/1/show/social-network-data.json',
        '/api/v2/users/partner-id/shared-id/show/data-points.json',
      ]) {
        const res = await b.call('GET', path);
        expect(res.statusCode, path).toBe(404);
      }
      expect((await b.call('DELETE', '/api/v2/users/id/1/delete.json')).statusCode).toBe(404);
      expect((await b.call('PUT', '/api/v2/users/id/1/positive/1.json')).statusCode).toBe(404);
      expect((await b.call('GET', '/api/v2/users.json')).json().total).toBe(0);
      expect((await a.call('GET', '/api/v2/users/id/1/show.json')).statusCode).toBe(200);
      // The other tenant's same partner id is a different user.
      await b.call('POST', '/api/v2/users/partner-id/shared-id/calculate_score.json', calculateBody());
      await t.ctx.queue.drain();
      expect((await a.call('GET', '/api/v2/users.json')).json().total).toBe(1);

      // Tenant A's client id with tenant B's secret is no client.
      const mixed = await t.app.inject({
        method: 'POST',
        url: `${BASE}/oauth/v2/token`,
        payload: { grant_type: 'client_credentials', client_id: a.clientId, client_secret: b.clientSecret },
      });
      expect(mixed.json().error).toBe('invalid_client');

      const narrow = await fsClient(t, 'acme', { create: false, scopes: ['cladfy'] });
      const res = await narrow.call('GET', '/api/v2/users.json');
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        code: 403,
        message: 'Access Denied: the access token lacks the scope friendlyscore',
      });
    });
  });

  describe(`FriendlyScore dialect on ${engine}: the access token in the body`, () => {
    let t: TestApp;
    afterEach(async () => t.close());
    const CALCULATE = `${BASE}/api/v2/users/partner-id/u1/calculate_score.json`;
    const send = (
      method: 'POST' | 'PUT' | 'DELETE',
      url: string,
      payload: string,
      headers: Record<string, string> = {},
    ) => t.app.inject({ method, url, payload, headers: { 'content-type': FORM, ...headers } });

    /** Every row of every table of the app's database, as one text. */
    async function everythingStored(): Promise<string> {
      const db = t.ctx.database.db;
      const schema =
        engine === 'postgres'
          ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s
          : undefined;
      const tables = await (schema ? scopedToSchema(db, schema) : db).introspection.getTables();
      const rows = await Promise.all(
        tables.map((table) =>
          db
            .selectFrom(table.name as 'score_runs')
            .selectAll()
            .execute(),
        ),
      );
      return JSON.stringify(rows);
    }

    it('reads a token posted as a form field, as the header, and never stores nor logs it', async () => {
      let logged = '';
      const stream = new Writable({
        write(chunk, _enc, cb) {
          logged += chunk.toString();
          cb();
        },
      });
      t = await createConnectedTestApp(engine, {
        logger: { ...(loggerOptions({ logLevel: 'trace' } as Config) as object), stream },
      });
      const c = await fsClient(t, 'acme');
      const calc = await send(
        'POST',
        CALCULATE,
        form({ access_token: c.token, 'access_tokens[facebook]': 'EAAB-x', user_ip: '8.8.8.8' }),
      );
      expect(calc.statusCode, calc.body).toBe(200);
      expect(calc.json()).toMatchObject({ result: 'success' });
      const perf = await send(
        'POST',
        `${BASE}/api/v2/users/id/1/performance-data.json`,
        form({ access_token: c.token, loan_status: 'paid' }),
      );
      expect(perf.statusCode, perf.body).toBe(200);
      const status = await send(
        'POST',
        `${BASE}/api/v2/users/id/1/status.json`,
        form({ access_token: c.token, status: '2', status_description: 'checked' }),
      );
      expect(status.statusCode, status.body).toBe(200);
      // PUT too, as the library allows.
      const positive = await send(
        'PUT',
        `${BASE}/api/v2/users/id/1/positive/1.json`,
        form({ access_token: c.token }),
      );
      expect(positive.statusCode, positive.body).toBe(200);
      await t.ctx.queue.drain();
      const shown = await c.call('GET', '/api/v2/users/id/1/show.json');
      expect(shown.json()).toMatchObject({ partner_id: 'u1', status: 2, positive: true });

      const signature = c.token.split('.')[2]!;
      expect(await everythingStored()).not.toContain(signature);
      expect(logged).toContain('calculate_score');
      expect(logged).not.toContain(signature);
    });

    it('checks a token in the body as one in the header: invalid, and without the scope', async () => {
      t = await createTestApp(engine);
      const c = await fsClient(t, 'acme');
      const res = await send('POST', CALCULATE, form({ access_token: tamperedSignature(c.token) }));
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual(INVALID);
      expect(res.headers['www-authenticate']).toContain('error="invalid_grant"');
      const narrow = await fsClient(t, 'acme', { create: false, scopes: ['cladfy'] });
      expect((await send('POST', CALCULATE, form({ access_token: narrow.token }))).statusCode).toBe(403);
    });

    it('takes a token from a form body of any method but GET, from no other body, and refuses two', async () => {
      t = await createTestApp(engine);
      const c = await fsClient(t, 'acme');
      // A JSON or multipart body holds no token: without one elsewhere, the request has none.
      const json = await send(
        'POST',
        CALCULATE,
        JSON.stringify({ ...calculateBody(), access_token: c.token }),
        { 'content-type': 'application/json' },
      );
      expect(json.statusCode).toBe(401);
      expect(json.json()).toEqual(MISSING);
      const boundary = 'credence-boundary';
      const multipart = await send(
        'POST',
        CALCULATE,
        `--${boundary}\r\nContent-Disposition: form-data; name="access_token"\r\n\r\n${c.token}\r\n--${boundary}--\r\n`,
        { 'content-type': `multipart/form-data; boundary=${boundary}` },
      );
      expect(multipart.statusCode).toBe(401);
      expect(multipart.json()).toEqual(MISSING);
      // Beside a token in the header, the JSON body's field is a field, not a token; no route sees it.
      const beside = await send(
        'POST',
        CALCULATE,
        JSON.stringify({ ...calculateBody(), access_token: 'anything' }),
        { 'content-type': 'application/json', authorization: `Bearer ${c.token}` },
      );
      expect(beside.statusCode, beside.body).toBe(200);
      // Parameters of the type are not part of it.
      const charset = await send('POST', CALCULATE, form({ access_token: c.token, user_ip: '8.8.8.8' }), {
        'content-type': `${FORM}; charset=UTF-8`,
      });
      expect(charset.json()).toEqual(
        expect.objectContaining({ message: expect.stringContaining('access_tokens') }),
      );
      // DELETE (or PATCH) as well as POST and PUT: the token is read, and the user is looked for.
      const erase = await send(
        'DELETE',
        `${BASE}/api/v2/users/id/999/delete.json`,
        form({ access_token: c.token }),
      );
      expect(erase.statusCode, erase.body).toBe(404);
      expect(erase.json()).toEqual({ code: 404, message: 'User not found' });
      // The header's scheme is `Bearer`, as written.
      const lower = await t.app.inject({
        method: 'GET',
        url: `${BASE}/api/v2/users.json`,
        headers: { authorization: `bearer ${c.token}` },
      });
      expect(lower.statusCode).toBe(401);
      expect(lower.json()).toEqual(MISSING);
      // An empty query parameter is no token, so the header's is the only one.
      const emptyQuery = await t.app.inject({
        method: 'GET',
        url: `${BASE}/api/v2/users.json?access_token=`,
        headers: { authorization: `Bearer ${c.token}` },
      });
      expect(emptyQuery.statusCode, emptyQuery.body).toBe(200);

      const oneMethod = 'Only one method may be used to authenticate at a time (Auth header, GET or POST).';
      const both = await send('POST', CALCULATE, form({ access_token: c.token }), {
        authorization: `Bearer ${c.token}`,
      });
      expect(both.statusCode).toBe(400);
      expect(both.json()).toEqual(invalidRequest(oneMethod));
      expect(both.headers).toMatchObject({
        'www-authenticate': `Bearer realm="Service", error="invalid_request", error_description="${oneMethod}"`,
        'cache-control': 'no-store',
        pragma: 'no-cache',
      });
      const withQuery = await send(
        'POST',
        `${CALCULATE}?access_token=${c.token}`,
        form({ access_token: c.token }),
      );
      expect(withQuery.json()).toEqual(invalidRequest(oneMethod));
      // An empty field in a form is a token given, and an empty one.
      const empty = await send('POST', CALCULATE, form({ access_token: '' }));
      expect(empty.statusCode).toBe(400);
      expect(empty.json()).toEqual(
        invalidRequest(
          'The request is missing a required parameter, includes an unsupported parameter or parameter value, repeats the same parameter, uses more than one method for including an access token, or is otherwise malformed.',
        ),
      );
      const emptyBeside = await send('POST', CALCULATE, form({ access_token: '' }), {
        authorization: `Bearer ${c.token}`,
      });
      expect(emptyBeside.json()).toEqual(invalidRequest(oneMethod));
      // The library gathers every method's token before it checks one: two are the 400 even when
      // the header's is bad; alone, the bad one is the 401, whatever the form body holds.
      const bad = { authorization: `Bearer ${tamperedSignature(c.token)}` };
      expect((await send('POST', CALCULATE, form({ access_token: c.token }), bad)).json()).toEqual(
        invalidRequest(oneMethod),
      );
      const badAlone = await send('POST', CALCULATE, form({ user_ip: '8.8.8.8' }), bad);
      expect(badAlone.statusCode).toBe(401);
      expect(badAlone.json()).toEqual(INVALID);
      const tooLarge = `user_ip=${'x'.repeat(2 * 1024 * 1024)}`;
      expect((await send('POST', CALCULATE, tooLarge, bad)).json()).toEqual(INVALID);
      // A good header token with a form body works as before, and a body too large is then a 413.
      const good = { authorization: `Bearer ${c.token}` };
      const ok = await send('POST', CALCULATE, 'access_tokens[facebook]=EAAB-x&user_ip=8.8.8.8', good);
      expect(ok.statusCode, ok.body).toBe(200);
      expect((await send('POST', CALCULATE, tooLarge, good)).statusCode).toBe(413);
    });

    it('answers 401 as before to a request with no token anywhere, whatever its body', async () => {
      t = await createTestApp(engine);
      const bodies: [string, string][] = [
        ['{broken', 'application/json'],
        ['--nowhere\r\nbroken', 'multipart/form-data; boundary=x'],
        ['<a/>', 'application/xml'],
        ['status=a%00b', FORM],
        ['x'.repeat(2 * 1024 * 1024), FORM],
      ];
      for (const [payload, type] of bodies) {
        const res = await send('POST', CALCULATE, payload, { 'content-type': type });
        expect(res.statusCode, `${type} ${res.body}`).toBe(401);
        expect(res.json()).toEqual(MISSING);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="Service"');
      }
    });
  });
}

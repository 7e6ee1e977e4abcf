import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  basic,
  CIBA,
  type Consumer,
  consumer,
  operatorWith,
  POSTPAID,
  retrieve,
  SCOPE,
  threeLeggedToken,
} from '../../../test/helpers/camara.js';
import { clientKey, JWT_BEARER, keyedClientWithSecret } from '../../../test/helpers/client-keys.js';
import { ManualClock } from '../../../test/helpers/clock.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import { DEFAULT_CAMARA_CONFIG } from '../../domain/telco/operator-config.js';

const ISSUER = 'https://scores.operator.example';
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

for (const engine of ENGINES) {
  describe(`OpenID Connect provider on ${engine}`, () => {
    const clock = new ManualClock('2026-11-21T10:00:00Z');
    let t: TestApp;
    let c: Consumer;
    let operatorKey: string;

    beforeAll(async () => {
      t = await createTestApp(engine, { clock, config: { publicUrl: ISSUER } });
      operatorKey = (await operatorWith(t, 'operator')).key;
      c = await consumer(t, 'operator');
    });
    afterAll(async () => t?.close());

    const token = (body: Record<string, string>, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { ...FORM, ...headers },
        payload: form(body),
      });
    const bcAuthorize = (body: Record<string, string>, who: Consumer = c) =>
      t.app.inject({
        method: 'POST',
        url: '/oauth2/bc-authorize',
        headers: { ...FORM, authorization: basic(who) },
        payload: form(body),
      });

    it('publishes its discovery document and the keys that verify its tokens', async () => {
      // Before any token is issued: a resource server that caches the set must find the key in it.
      // Asked for by several at the same moment, the set is made once: one key of each algorithm.
      const sets = await Promise.all(Array.from({ length: 8 }, () => t.app.inject({ url: '/oauth2/jwks' })));
      const set = sets[0]!.json() as { keys: { kid: string; alg: string }[] };
      expect(set.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
      for (const other of sets) expect(other.json()).toEqual(set);
      const jwks = createLocalJWKSet(set as never);
      const discovery = (await t.app.inject({ url: '/.well-known/openid-configuration' })).json();
      expect(discovery).toMatchObject({
        issuer: ISSUER,
        token_endpoint: `${ISSUER}/oauth2/token`,
        jwks_uri: `${ISSUER}/oauth2/jwks`,
        backchannel_authentication_endpoint: `${ISSUER}/oauth2/bc-authorize`,
        backchannel_token_delivery_modes_supported: ['poll'],
        grant_types_supported: ['client_credentials', CIBA],
        token_endpoint_auth_methods_supported: [
          'client_secret_basic',
          'client_secret_post',
          'private_key_jwt',
        ],
        // RS256 must be offered (Discovery §3), and it is what a client that registered none expects.
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      });
      const res = await token({ grant_type: 'client_credentials' }, { authorization: basic(c) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json();
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: SCOPE });
      const { payload } = await jwtVerify(body.access_token, jwks, {
        issuer: ISSUER,
        currentDate: clock.now(),
      });
      expect(payload).toMatchObject({ sub: c.clientId, client_id: c.clientId, scope: SCOPE });
    });

    it('authenticates clients by HTTP Basic or by form fields, not both, and refuses bad ones in RFC 6749 words', async () => {
      const byForm = await token({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.clientSecret,
      });
      expect(byForm.statusCode).toBe(200);
      const both = await token(
        { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret },
        { authorization: basic(c) },
      );
      expect(both.json()).toMatchObject({ error: 'invalid_request' });
      // Naming itself in the form beside Basic is not a second method (RFC 6749 §3.2.1), unless
      // the form names another client.
      const named = await token(
        { grant_type: 'client_credentials', client_id: c.clientId },
        { authorization: basic(c) },
      );
      expect(named.statusCode).toBe(200);
      const other = await token(
        { grant_type: 'client_credentials', client_id: 'cli_other' },
        { authorization: basic(c) },
      );
      expect(other.statusCode).toBe(400);
      expect(other.json()).toMatchObject({ error: 'invalid_request' });
      const wrongBasic = await token(
        { grant_type: 'client_credentials' },
        { authorization: basic({ ...c, clientSecret: 'x' }) },
      );
      expect(wrongBasic.statusCode).toBe(401);
      expect(wrongBasic.headers['www-authenticate']).toMatch(/^Basic/);
      expect(wrongBasic.json()).toMatchObject({ error: 'invalid_client' });
      const wrongForm = await token({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: 'nope',
      });
      // 401 for form credentials too (the CAMARA security profile; RFC 6749 §5.2 allows it).
      expect(wrongForm.statusCode).toBe(401);
      expect(wrongForm.headers['www-authenticate']).toMatch(/^Basic/);
      expect(wrongForm.json()).toMatchObject({ error: 'invalid_client' });
      const noCredentials = await token({ grant_type: 'client_credentials' });
      expect(noCredentials.statusCode).toBe(401);
      expect(noCredentials.json()).toMatchObject({ error: 'invalid_client' });
      // At the backchannel endpoint CIBA Core §13 makes invalid_client a 401, form or Basic.
      const wrongFormCiba = await t.app.inject({
        method: 'POST',
        url: '/oauth2/bc-authorize',
        headers: FORM,
        payload: form({
          client_id: c.clientId,
          client_secret: 'nope',
          scope: `openid ${SCOPE}`,
          login_hint: `tel:${POSTPAID.phone_number}`,
        }),
      });
      expect(wrongFormCiba.statusCode).toBe(401);
      expect(wrongFormCiba.json()).toMatchObject({ error: 'invalid_client' });
      expect((await token({}, { authorization: basic(c) })).json()).toMatchObject({
        error: 'invalid_request',
      });
      expect((await token({ grant_type: 'password' }, { authorization: basic(c) })).json()).toMatchObject({
        error: 'unsupported_grant_type',
      });
      expect(
        (
          await token(
            { grant_type: 'client_credentials', scope: 'friendlyscore' },
            { authorization: basic(c) },
          )
        ).json(),
      ).toMatchObject({ error: 'invalid_scope' });
      const twice = await t.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { ...FORM, authorization: basic(c) },
        payload: 'grant_type=client_credentials&grant_type=client_credentials',
      });
      expect(twice.statusCode).toBe(400);
      expect(twice.json()).toEqual({
        error: 'invalid_request',
        error_description: 'the parameter grant_type is given more than once',
      });
      for (const [field, description] of [
        // A NUL, which PostgreSQL cannot take in text, is a bad request on every database.
        ['client_id=a%00b', 'client_id holds the NUL character (%00), which text may not contain'],
        // Escapes that are not UTF-8 (é in Latin-1) are refused, not read as U+FFFD.
        [
          'scope=caf%E9',
          'a parameter is not UTF-8 text: "caf%E9" is percent-encoded bytes of another encoding',
        ],
      ]) {
        const bad = await t.app.inject({
          method: 'POST',
          url: '/oauth2/token',
          headers: FORM,
          payload: `grant_type=client_credentials&client_secret=x&${field}`,
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.json()).toEqual({ error: 'invalid_request', error_description: description });
      }
      // Other methods: 405 with Allow, in OAuth words, whatever the body.
      for (const url of ['/oauth2/token', '/oauth2/bc-authorize'])
        for (const method of ['GET', 'DELETE', 'OPTIONS', 'TRACE'] as const) {
          const res = await t.app.inject({
            method: method as 'GET', // TRACE too, which light-my-request's types leave out
            url,
            headers: { 'content-type': 'application/json' },
            payload: '{',
          });
          expect(res.statusCode, `${method} ${url}`).toBe(405);
          expect(res.headers.allow).toBe('POST');
          expect(res.headers['cache-control']).toBe('no-store');
          expect(res.json()).toEqual({
            error: 'invalid_request',
            error_description: `${method} is not allowed here; use POST`,
          });
        }
      // Form-encoded only, and the refusal says so.
      for (const [type, payload] of [
        [undefined, 'grant_type=client_credentials'],
        ['text/plain', 'grant_type=client_credentials'],
        ['application/json', '{"grant_type":"client_credentials"}'],
      ] as const) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/oauth2/token',
          headers: { authorization: basic(c), ...(type ? { 'content-type': type } : {}) },
          payload,
        });
        expect(res.statusCode, type).toBe(415);
        expect(res.json()).toEqual({
          error: 'invalid_request',
          error_description: 'Content-Type must be application/x-www-form-urlencoded',
        });
      }
      // A body it cannot read for another reason is told that reason, not the Content-Type rule.
      const encoded = await t.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { ...FORM, authorization: basic(c), 'content-encoding': 'xyz' },
        payload: 'grant_type=client_credentials',
      });
      expect(encoded.statusCode).toBe(415);
      expect(encoded.json().error).toBe('invalid_request');
      expect(encoded.json().error_description).toMatch(/^Content-Encoding xyz is not supported/);
      const large = await t.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { ...FORM, authorization: basic(c) },
        payload: `grant_type=client_credentials&x=${'a'.repeat(1024 * 1024 + 10)}`,
      });
      expect(large.statusCode).toBe(413);
      expect(large.json()).toEqual({
        error: 'invalid_request',
        error_description: 'request body is larger than the 1 MiB limit',
      });
      const noBody = await t.app.inject({
        method: 'POST',
        url: '/oauth2/bc-authorize',
        headers: { authorization: basic(c) },
      });
      expect(noBody.json()).toEqual({
        error: 'invalid_request',
        error_description: 'the parameters must be sent as an application/x-www-form-urlencoded body',
      });
      const ccOnly = await consumer(t, 'operator', { grants: ['client_credentials'] });
      expect(
        (
          await bcAuthorize({ scope: `openid ${SCOPE}`, login_hint: `tel:${POSTPAID.phone_number}` }, ccOnly)
        ).json(),
      ).toMatchObject({
        error: 'unauthorized_client',
      });
    });

    it('authenticates a client by a JWT signed with its registered key (private_key_jwt), each once', async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
      const registered = await t.ctx.oauthClients.create({
        tenant: 'operator',
        grants: ['client_credentials', CIBA],
        scopes: [SCOPE],
        jwks: { keys: [jwk] },
      });
      const id = registered.clientId;
      let n = 0;
      const assertion = (
        claims: { aud?: string; sub?: string; exp?: number; jti?: string } = {},
        key = privateKey,
      ) =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
          .setIssuer(id)
          .setSubject(claims.sub ?? id)
          .setAudience(claims.aud ?? `${ISSUER}/oauth2/token`)
          .setIssuedAt(Math.floor(clock.now().getTime() / 1000))
          .setExpirationTime(claims.exp ?? Math.floor(clock.now().getTime() / 1000) + 300)
          .setJti(claims.jti ?? `jti-${++n}`)
          .sign(key);
      const withAssertion = (client_assertion: string, extra: Record<string, string> = {}) =>
        token({
          grant_type: 'client_credentials',
          client_assertion_type: JWT_BEARER,
          client_assertion,
          ...extra,
        });

      const good = await withAssertion(await assertion({ jti: 'once' }));
      expect(good.statusCode).toBe(200);
      expect(decodeJwt(good.json().access_token)).toMatchObject({ client_id: id, sub: id, scope: SCOPE });
      // The issuer is an audience too, and client_id may be sent beside the assertion.
      expect((await withAssertion(await assertion({ aud: ISSUER }), { client_id: id })).statusCode).toBe(200);

      const refused = { error: 'invalid_client', error_description: 'Client authentication failed' };
      const other = await generateKeyPair('ES256');
      for (const [why, a, extra] of [
        ['replayed', await assertion({ jti: 'once' }), {}],
        ['another audience', await assertion({ aud: 'https://elsewhere.example/token' }), {}],
        ['expired', await assertion({ exp: Math.floor(clock.now().getTime() / 1000) - 10 }), {}],
        [
          'valid for two hours',
          await assertion({ exp: Math.floor(clock.now().getTime() / 1000) + 7200 }),
          {},
        ],
        ['signed by another key', await assertion({}, other.privateKey), {}],
        ['another client_id beside it', await assertion(), { client_id: c.clientId }],
        ['not a JWT', 'not-a-jwt', {}],
      ] as const) {
        const res = await withAssertion(a, extra);
        expect(res.statusCode, why).toBe(401);
        expect(res.json(), why).toEqual(refused);
      }
      // A client registered without keys cannot use one, whatever it signs.
      const unkeyed = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(c.clientId)
        .setSubject(c.clientId)
        .setAudience(ISSUER)
        .setExpirationTime('5m')
        .setJti('x')
        .sign(privateKey);
      expect((await withAssertion(unkeyed)).json()).toEqual(refused);
      // One method only, and the assertion type must be named.
      expect(
        (
          await token(
            {
              grant_type: 'client_credentials',
              client_assertion_type: JWT_BEARER,
              client_assertion: await assertion(),
            },
            { authorization: basic(c) },
          )
        ).json(),
      ).toMatchObject({ error: 'invalid_request' });
      expect(
        (await token({ grant_type: 'client_credentials', client_assertion: await assertion() })).json(),
      ).toEqual({
        error: 'invalid_request',
        error_description: `client_assertion_type must be ${JWT_BEARER}`,
      });
      // The backchannel endpoint takes it as well.
      const ciba = await t.app.inject({
        method: 'POST',
        url: '/oauth2/bc-authorize',
        headers: FORM,
        payload: form({
          client_assertion_type: JWT_BEARER,
          client_assertion: await assertion({ aud: `${ISSUER}/oauth2/bc-authorize` }),
          scope: `openid ${SCOPE}`,
          login_hint: `tel:${POSTPAID.phone_number}`,
        }),
      });
      expect(ciba.statusCode).toBe(200);
      expect(ciba.json().auth_req_id).toEqual(expect.any(String));
      // Keys are checked when the client is registered: public ones only.
      await expect(
        t.ctx.oauthClients.create({
          tenant: 'operator',
          grants: ['client_credentials'],
          jwks: { keys: [await exportJWK(privateKey)] },
        }),
      ).rejects.toThrow('keys[0] holds a private member ("d"): register the public key only');
    });

    it('refuses the secret of a client registered with keys at both endpoints, as a wrong secret', async () => {
      const key = await clientKey();
      const keyed = await keyedClientWithSecret(t, {
        tenant: 'operator',
        grants: ['client_credentials', CIBA],
        scopes: [SCOPE],
        jwks: key.jwks,
      });
      const ciba = { scope: `openid ${SCOPE}`, login_hint: `tel:${POSTPAID.phone_number}` };
      const endpoints = [
        ['/oauth2/token', { grant_type: 'client_credentials' }],
        ['/oauth2/bc-authorize', ciba],
      ] as const;
      const send = (url: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
        t.app.inject({ method: 'POST', url, headers: { ...FORM, ...headers }, payload: form(body) });
      // What a client gets with a wrong secret, or one unknown: the keyed client's secret must
      // get the same, so that nothing tells it apart.
      const seen = (res: Awaited<ReturnType<typeof send>>) => ({
        status: res.statusCode,
        challenge: res.headers['www-authenticate'],
        body: res.json(),
      });
      for (const [url, body] of endpoints) {
        const wrong = seen(await send(url, body, { authorization: basic({ ...c, clientSecret: 'x' }) }));
        expect(wrong).toEqual({
          status: 401,
          challenge: 'Basic realm="credence"',
          body: { error: 'invalid_client', error_description: 'Client authentication failed' },
        });
        expect(seen(await send(url, body, { authorization: basic(keyed) })), `${url} Basic`).toEqual(wrong);
        expect(
          seen(await send(url, { ...body, client_id: keyed.clientId, client_secret: keyed.clientSecret })),
          `${url} form`,
        ).toEqual(wrong);
        expect(
          seen(await send(url, body, { authorization: basic({ ...keyed, clientId: 'ocl_01NOBODY' }) })),
        ).toEqual(wrong);
        // Its assertion still works there, and a client without keys keeps its secret.
        const signed = await send(url, {
          ...body,
          client_assertion_type: JWT_BEARER,
          client_assertion: await key.assertion(keyed.clientId, `${ISSUER}${url}`, clock.now()),
        });
        expect(signed.statusCode, `${url} private_key_jwt`).toBe(200);
        expect((await send(url, body, { authorization: basic(c) })).statusCode, `${url} secret`).toBe(200);
      }
    });

    it('runs a CIBA flow: auth_req_id, then a token bound to the subscriber and an ID token, once', async () => {
      const start = await bcAuthorize({
        scope: `openid ${SCOPE}`,
        login_hint: `tel:${POSTPAID.phone_number}`,
      });
      expect(start.statusCode).toBe(200);
      const { auth_req_id, expires_in, interval } = start.json();
      expect(expires_in).toBe(120);
      expect(interval).toBeGreaterThan(0);
      const res = await token({ grant_type: CIBA, auth_req_id }, { authorization: basic(c) });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const access = decodeJwt(body.access_token);
      const subscriber = await t.ctx.telco.subscribers.byPhone(
        (await t.ctx.tenants.get('operator')).id,
        POSTPAID.phone_number,
      );
      expect(access.sub).toBe(subscriber!.id);
      expect(body.access_token).not.toContain('254712345678');
      expect(access.client_id).toBe(c.clientId);
      expect(decodeJwt(body.id_token)).toMatchObject({ sub: subscriber!.id, aud: c.clientId, iss: ISSUER });
      // A client that registered no algorithm gets RS256 ID tokens (OpenID Connect's default),
      // verifiable with the published keys by a relying party that accepts RS256 alone.
      expect(decodeProtectedHeader(body.id_token).alg).toBe('RS256');
      expect(decodeProtectedHeader(body.access_token).alg).toBe('ES256');
      const jwks = createLocalJWKSet((await t.app.inject({ url: '/oauth2/jwks' })).json());
      await expect(
        jwtVerify(body.id_token, jwks, {
          issuer: ISSUER,
          audience: c.clientId,
          algorithms: ['RS256'],
          currentDate: clock.now(),
        }),
      ).resolves.toBeTruthy();
      expect(
        (await token({ grant_type: CIBA, auth_req_id }, { authorization: basic(c) })).json(),
      ).toMatchObject({
        error: 'invalid_grant',
      });
    });

    it('signs the ID tokens of a client that registered ES256 with ES256, and refuses another algorithm', async () => {
      const es = await consumer(t, 'operator', { idTokenAlg: 'ES256' });
      const start = await bcAuthorize(
        { scope: `openid ${SCOPE}`, login_hint: `tel:${POSTPAID.phone_number}` },
        es,
      );
      const res = await token(
        { grant_type: CIBA, auth_req_id: start.json().auth_req_id },
        { authorization: basic(es) },
      );
      expect(res.statusCode).toBe(200);
      const idToken = res.json().id_token as string;
      expect(decodeProtectedHeader(idToken).alg).toBe('ES256');
      const jwks = createLocalJWKSet((await t.app.inject({ url: '/oauth2/jwks' })).json());
      await expect(
        jwtVerify(idToken, jwks, { issuer: ISSUER, audience: es.clientId, currentDate: clock.now() }),
      ).resolves.toBeTruthy();
      await expect(consumer(t, 'operator', { idTokenAlg: 'HS256' })).rejects.toThrow(
        'ID tokens can be signed with RS256 or ES256, not "HS256"',
      );
    });

    it("gives a CIBA token the scopes asked for, not all of the client's; a parent scope is honoured", async () => {
      const wide = await consumer(t, 'operator', { scopes: ['*'] });
      for (const asked of ['customer-insights', SCOPE]) {
        const token = await threeLeggedToken(t, wide, POSTPAID.phone_number, `openid ${asked}`);
        expect(decodeJwt(token).scope).toBe(asked);
        // consent: auto recorded a consent to what was asked; one to a parent scope covers the API's.
        expect((await retrieve(t, 'v0.3rc1', token)).statusCode).toBe(200);
      }
      const start = await bcAuthorize(
        { scope: `openid ${SCOPE}`, login_hint: `tel:${POSTPAID.phone_number}` },
        wide,
      );
      const res = await token(
        { grant_type: CIBA, auth_req_id: start.json().auth_req_id },
        { authorization: basic(wide) },
      );
      expect(res.json().scope).toBe(SCOPE);
      expect(decodeJwt(res.json().access_token).scope).toBe(SCOPE);
    });

    it('takes the CAMARA profile purpose (one dpv: scope), carries it in the token and keeps it with the run', async () => {
      // CAMARA Security and Interoperability Profile, "Purpose as a scope": exactly one purpose.
      const scope = `openid dpv:CreditChecking offline_access ${SCOPE}`;
      const start = await bcAuthorize({ scope, login_hint: `tel:${POSTPAID.phone_number}` });
      expect(start.statusCode).toBe(200);
      const res = await token(
        { grant_type: CIBA, auth_req_id: start.json().auth_req_id },
        { authorization: basic(c) },
      );
      expect(res.statusCode).toBe(200);
      // No refresh token: issuing one is the server's choice, and this provider issues none.
      expect(res.json().refresh_token).toBeUndefined();
      // The purpose is granted beside the API scope: it grants nothing, and says why the token exists.
      expect(res.json().scope).toBe(`${SCOPE} dpv:CreditChecking`);
      const claims = decodeJwt(res.json().access_token);
      expect(claims.scope).toBe(`${SCOPE} dpv:CreditChecking`);
      expect((await retrieve(t, 'v0.3rc1', res.json().access_token)).statusCode).toBe(200);
      const cc = await token(
        { grant_type: 'client_credentials', scope: `dpv:FraudPreventionAndDetection ${SCOPE}` },
        { authorization: basic(c) },
      );
      expect(cc.statusCode).toBe(200);
      expect(cc.json().scope).toBe(`${SCOPE} dpv:FraudPreventionAndDetection`);
      const twoLegged = { phoneNumber: POSTPAID.phone_number };
      expect((await retrieve(t, 'v0.3rc1', cc.json().access_token, twoLegged)).statusCode).toBe(200);
      // A token that declares no purpose: its run records none.
      const plain = await token(
        { grant_type: 'client_credentials', scope: SCOPE },
        { authorization: basic(c) },
      );
      expect(plain.json().scope).toBe(SCOPE);
      expect((await retrieve(t, 'v0.3rc1', plain.json().access_token, twoLegged)).statusCode).toBe(200);
      // The operator reads why each score was asked for in the subscriber's history.
      const native = (url: string) =>
        t.app.inject({ url: `/api/v1${url}`, headers: { authorization: `Bearer ${operatorKey}` } });
      const subject = (await native(`/subjects?partner_id=${claims.sub}`)).json();
      const runs = (await native(`/subjects/${subject.id}/score-runs`)).json().runs as { purpose: unknown }[];
      expect(runs.slice(-3).map((r) => r.purpose)).toEqual([
        'dpv:CreditChecking',
        'dpv:FraudPreventionAndDetection',
        null,
      ]);
      const twoPurposes = `openid dpv:CreditChecking dpv:FraudPreventionAndDetection ${SCOPE}`;
      const two = await bcAuthorize({ scope: twoPurposes, login_hint: `tel:${POSTPAID.phone_number}` });
      expect(two.statusCode).toBe(400);
      expect(two.json()).toMatchObject({ error: 'invalid_scope' });
      const twoCc = await token(
        { grant_type: 'client_credentials', scope: `dpv:CreditChecking dpv:ServiceProvision ${SCOPE}` },
        { authorization: basic(c) },
      );
      expect(twoCc.json()).toMatchObject({ error: 'invalid_scope' });
      // A purpose alone names no API to grant.
      const purposeOnly = await bcAuthorize({
        scope: 'openid dpv:CreditChecking',
        login_hint: `tel:${POSTPAID.phone_number}`,
      });
      expect(purposeOnly.json()).toMatchObject({ error: 'invalid_scope' });
      // Not a purpose: still an unknown scope.
      const malformed = await bcAuthorize({
        scope: `openid dpv: ${SCOPE}`,
        login_hint: `tel:${POSTPAID.phone_number}`,
      });
      expect(malformed.json()).toEqual({ error: 'invalid_scope', error_description: 'Unknown scope dpv:' });
    });

    it('refuses bad CIBA requests: hint, scope, unknown subscriber, other client, expiry', async () => {
      expect((await bcAuthorize({ scope: `openid ${SCOPE}` })).json()).toMatchObject({
        error: 'invalid_request',
      });
      expect((await bcAuthorize({ login_hint: `tel:${POSTPAID.phone_number}` })).json()).toMatchObject({
        error: 'invalid_request',
      });
      // requested_expiry is a positive integer of seconds (CIBA Core §7.1).
      for (const requested_expiry of ['abc', '0', '-5', '1.5'])
        expect(
          (
            await bcAuthorize({
              scope: `openid ${SCOPE}`,
              login_hint: `tel:${POSTPAID.phone_number}`,
              requested_expiry,
            })
          ).json(),
        ).toEqual({
          error: 'invalid_request',
          error_description: 'requested_expiry must be a positive integer (seconds)',
        });
      const expiring = await bcAuthorize({
        scope: `openid ${SCOPE}`,
        login_hint: `tel:${POSTPAID.phone_number}`,
        requested_expiry: '300',
      });
      expect(expiring.statusCode).toBe(200);
      // A signed request object is refused, not read past (its parameters would go unheeded).
      const signed = { scope: `openid ${SCOPE}`, login_hint: `tel:${POSTPAID.phone_number}` };
      const withRequest = await bcAuthorize({ ...signed, request: 'eyJhbGciOiJFUzI1NiJ9.e30.sig' });
      expect(withRequest.statusCode).toBe(400);
      expect(withRequest.json()).toMatchObject({ error: 'request_not_supported' });
      expect((await bcAuthorize({ request: 'eyJhbGciOiJFUzI1NiJ9.e30.sig' })).json()).toMatchObject({
        error: 'request_not_supported',
      });
      expect(
        (await bcAuthorize({ ...signed, request_uri: 'https://client.example/r/1' })).json(),
      ).toMatchObject({ error: 'request_uri_not_supported' });
      expect(
        (await bcAuthorize({ scope: `openid ${SCOPE}`, login_hint: POSTPAID.phone_number })).json(),
      ).toMatchObject({
        error: 'invalid_request',
      });
      const unencoded = await t.app.inject({
        method: 'POST',
        url: '/oauth2/bc-authorize',
        headers: { ...FORM, authorization: basic(c) },
        payload: `scope=${encodeURIComponent(`openid ${SCOPE}`)}&login_hint=tel:${POSTPAID.phone_number}`,
      });
      expect(unencoded.json()).toEqual({
        error: 'invalid_request',
        error_description:
          'login_hint must be tel: and a phone number in E.164 (tel:+...); the + arrived as a space: send it as %2B',
      });
      expect(
        (await bcAuthorize({ scope: `openid ${SCOPE}`, login_hint: 'tel:+254799000000' })).json(),
      ).toMatchObject({
        error: 'unknown_user_id',
      });
      // The scheme is case-insensitive, as every URI scheme is.
      const upper = await bcAuthorize({
        scope: `openid ${SCOPE}`,
        login_hint: `TEL:${POSTPAID.phone_number}`,
      });
      expect(upper.statusCode).toBe(200);
      expect(upper.json().auth_req_id).toEqual(expect.any(String));
      // The CAMARA profile's other hint forms are understood, but name no subscriber here.
      for (const login_hint of ['ipport:198.51.100.7:5000', 'operatortoken:abc123', 'IPPort:198.51.100.7'])
        expect((await bcAuthorize({ scope: `openid ${SCOPE}`, login_hint })).json(), login_hint).toEqual({
          error: 'unknown_user_id',
          error_description:
            'Only tel: login hints can be resolved to a subscriber here; ipport: and operatortoken: cannot',
        });
      expect(
        (
          await bcAuthorize({ scope: 'openid friendlyscore', login_hint: `tel:${POSTPAID.phone_number}` })
        ).json(),
      ).toMatchObject({ error: 'invalid_scope' });
      // A scope that names nothing is refused before anything is approved (it could never become a
      // token), below a scope the client holds as for a client allowed everything; the token
      // endpoint words it the same.
      const wide = await consumer(t, 'operator', { scopes: ['*'] });
      for (const who of [c, wide]) {
        const res = await bcAuthorize(
          { scope: `openid ${SCOPE}:x`, login_hint: `tel:${POSTPAID.phone_number}` },
          who,
        );
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ error: 'invalid_scope', error_description: `Unknown scope ${SCOPE}:x` });
      }
      const cc = await token(
        { grant_type: 'client_credentials', scope: `${SCOPE}:x` },
        { authorization: basic(c) },
      );
      expect(cc.statusCode).toBe(400);
      expect(cc.json()).toEqual({ error: 'invalid_scope', error_description: `Unknown scope ${SCOPE}:x` });
      // CIBA Core §7.1: the scope must include openid; and openid alone names nothing to grant.
      for (const scope of [SCOPE, 'openid', ' openid '])
        expect(
          (await bcAuthorize({ scope, login_hint: `tel:${POSTPAID.phone_number}` })).json(),
          scope,
        ).toMatchObject({ error: 'invalid_scope' });
      const { auth_req_id } = (
        await bcAuthorize({ scope: `openid ${SCOPE}`, login_hint: `tel:${POSTPAID.phone_number}` })
      ).json();
      const other = await consumer(t, 'operator');
      expect(
        (await token({ grant_type: CIBA, auth_req_id }, { authorization: basic(other) })).json(),
      ).toMatchObject({
        error: 'invalid_grant',
      });
      expect((await token({ grant_type: CIBA }, { authorization: basic(c) })).json()).toMatchObject({
        error: 'invalid_request',
      });
      clock.advance(121_000);
      expect(
        (await token({ grant_type: CIBA, auth_req_id }, { authorization: basic(c) })).json(),
      ).toMatchObject({
        error: 'expired_token',
      });
      clock.advance(-121_000);
    });
  });

  describe(`consent on ${engine}`, () => {
    const clock = new ManualClock('2026-11-21T10:00:00Z');
    let t: TestApp;
    let op: { tenantId: string; key: string };

    beforeAll(async () => {
      t = await createTestApp(engine, {
        clock,
        config: { camara: { ...DEFAULT_CAMARA_CONFIG, consent: 'record' } },
      });
      op = await operatorWith(t, 'operator');
    });
    afterAll(async () => t?.close());

    it('with `consent: record`, approves CIBA only with a consent record, and honours the token only while it stands', async () => {
      const c = await consumer(t, 'operator');
      await expect(threeLeggedToken(t, c, POSTPAID.phone_number)).rejects.toThrow(/access_denied/);
      const granted = await t.app.inject({
        method: 'POST',
        url: '/api/v1/telco/consents',
        headers: { authorization: `Bearer ${op.key}` },
        payload: { phone_number: POSTPAID.phone_number, client_id: c.clientId },
      });
      expect(granted.statusCode).toBe(201);
      const token = await threeLeggedToken(t, c, POSTPAID.phone_number);
      expect((await retrieve(t, 'v0.3rc1', token)).statusCode).toBe(200);
      // Consent to one client is not consent to another.
      await expect(threeLeggedToken(t, await consumer(t, 'operator'), POSTPAID.phone_number)).rejects.toThrow(
        /access_denied/,
      );
      await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/telco/consents/${granted.json().consent_id}`,
        headers: { authorization: `Bearer ${op.key}` },
      });
      const after = await retrieve(t, 'v0.2', token);
      expect(after.json()).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
    });

    it('records one consent for requests that give it at the same moment, so one withdrawal ends it', async () => {
      const c = await consumer(t, 'operator');
      const body = { phone_number: POSTPAID.phone_number, client_id: c.clientId };
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          t.app.inject({
            method: 'POST',
            url: '/api/v1/telco/consents',
            headers: { authorization: `Bearer ${op.key}` },
            payload: body,
          }),
        ),
      );
      expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(11);
      expect(new Set(answers.map((a) => a.json().consent_id)).size).toBe(1);
      const token = await threeLeggedToken(t, c, POSTPAID.phone_number);
      expect((await retrieve(t, 'v0.3rc1', token)).statusCode).toBe(200);
      const withdrawn = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/telco/consents/${answers[0]!.json().consent_id}`,
        headers: { authorization: `Bearer ${op.key}` },
      });
      expect(withdrawn.statusCode).toBe(200);
      expect((await retrieve(t, 'v0.3rc1', token)).json()).toMatchObject({
        status: 403,
        code: 'PERMISSION_DENIED',
      });
      // The database itself holds one standing consent per subscriber, client and scope.
      const [row] = await t.ctx.database.db
        .selectFrom('telco_consents')
        .selectAll()
        .where('oauth_client_id', '=', c.clientId)
        .execute();
      await expect(
        t.ctx.database.db
          .insertInto('telco_consents')
          .values([
            { ...row!, id: 'cns_a', revoked_at: null },
            { ...row!, id: 'cns_b', revoked_at: null },
          ])
          .execute(),
      ).rejects.toThrow(/unique/i);
    });

    const grant = (body: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/telco/consents',
        headers: { authorization: `Bearer ${op.key}` },
        payload: { phone_number: POSTPAID.phone_number, ...body },
      });

    it('a consent to a scope covers the scopes below it, as a token scope does', async () => {
      const c = await consumer(t, 'operator');
      expect((await grant({ client_id: c.clientId, scope: 'customer-insights' })).statusCode).toBe(201);
      const token = await threeLeggedToken(t, c, POSTPAID.phone_number);
      expect((await retrieve(t, 'v0.3rc1', token)).statusCode).toBe(200);
    });

    it('refuses a consent to something that is no scope', async () => {
      const c = await consumer(t, 'operator');
      for (const scope of ['customer-insights:scoring:read openid', 'Customer-Insights', 'a b']) {
        const res = await grant({ client_id: c.clientId, scope });
        expect(res.statusCode, scope).toBe(400);
        expect(res.json()).toMatchObject({ code: 'CREDENCE_INVALID_INPUT' });
      }
    });

    it('withdraws a consent by its id alone, whatever the tenant; with a tenant, only in it', async () => {
      await t.ctx.tenants.create('another');
      const c = await consumer(t, 'operator');
      const granted = await grant({ client_id: c.clientId });
      const id = granted.json().consent_id as string;
      const another = (await t.ctx.tenants.get('another')).id;
      await expect(t.ctx.telco.consents.revoke(another, id, 'cli')).rejects.toThrow(/not found/);
      const revoked = await t.ctx.telco.consents.revoke(undefined, id, 'cli');
      expect(revoked).toMatchObject({ id, revokedAt: expect.any(String) });
    });
  });
}

for (const engine of ENGINES) {
  describe(`CIBA requests are not kept for ever [${engine}]`, () => {
    const clock = new ManualClock('2026-11-21T10:00:00Z');
    let t: TestApp;
    let c: Consumer;
    beforeAll(async () => {
      t = await createTestApp(engine, { clock, config: { publicUrl: ISSUER } });
      await operatorWith(t, 'operator');
      c = await consumer(t, 'operator');
    });
    afterAll(async () => t?.close());

    it('tells a late poll its request expired for an hour, then forgets the request', async () => {
      const start = await t.app.inject({
        method: 'POST',
        url: '/oauth2/bc-authorize',
        headers: { ...FORM, authorization: basic(c) },
        payload: form({ scope: `openid ${SCOPE}`, login_hint: `tel:${POSTPAID.phone_number}` }),
      });
      const { auth_req_id } = start.json();
      const poll = async () =>
        (
          await t.app.inject({
            method: 'POST',
            url: '/oauth2/token',
            headers: { ...FORM, authorization: basic(c) },
            payload: form({ grant_type: CIBA, auth_req_id }),
          })
        ).json().error;
      const kept = () =>
        t.ctx.database.db.selectFrom('ciba_requests').select('id').where('id', '=', auth_req_id).execute();
      clock.advance(121_000);
      expect(await t.ctx.telco.ciba.purgeExpired()).toBe(0);
      expect(await poll()).toBe('expired_token');
      clock.advance(3600_000);
      expect(await t.ctx.telco.ciba.purgeExpired()).toBe(1);
      expect(await kept()).toEqual([]);
      expect(await poll()).toBe('invalid_grant');
    });
  });
}

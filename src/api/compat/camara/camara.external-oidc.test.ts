/**
 * An operator with its own identity provider: Credence validates that provider's tokens, whose keys
 * a second, local server publishes as a JWK Set, and reads the subscriber from a configured claim.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import {
  consumer,
  operatorWith,
  POSTPAID,
  PREPAID,
  retrieve,
  SCOPE,
  twoLeggedToken,
} from '../../../../test/helpers/camara.js';
import { ManualClock } from '../../../../test/helpers/clock.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import type { ExternalOidcConfig } from '../../../config.js';
import { startServer } from '../../../server.js';

const ISSUER = 'https://idp.operator.example';
type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

for (const engine of ENGINES) {
  describe(`CAMARA with the operator's own OpenID provider on ${engine}`, () => {
    const clock = new ManualClock('2026-11-21T10:00:00Z');
    let t: TestApp;
    let server: http.Server;
    let key: Key;
    let otherKey: Key;
    let jwksRequests = 0;
    let operatorKey: string;

    const sign = (
      claims: Record<string, unknown>,
      o: { with?: Key; kid?: string; issuer?: string; exp?: number } = {},
    ) => {
      const now = Math.floor(clock.now().getTime() / 1000);
      return new SignJWT({ client_id: 'bank-app', scope: SCOPE, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'idp-1' })
        .setIssuer(o.issuer ?? ISSUER)
        .setAudience('customer-insights')
        .setIssuedAt(now)
        .setExpirationTime(o.exp ?? now + 600)
        .sign(o.with ?? key);
    };

    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      key = pair.privateKey;
      otherKey = (await generateKeyPair('RS256')).privateKey;
      const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
      server = http.createServer((_req, res) => {
        jwksRequests++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      t = await createTestApp(engine, {
        clock,
        config: {
          externalOidc: {
            issuer: ISSUER,
            jwksUrl: `http://127.0.0.1:${port}/jwks`,
            audience: 'customer-insights',
            subscriberClaim: 'msisdn',
            tenant: 'operator',
          },
        },
      });
      operatorKey = (await operatorWith(t, 'operator')).key;
    });
    afterAll(async () => {
      await t?.close();
      await new Promise((r) => server?.close(r));
    });

    it('scores with a 2-legged token of the provider, and with a 3-legged one naming the subscriber in the claim', async () => {
      const two = await retrieve(t, 'v0.3rc1', await sign({}), { phoneNumber: POSTPAID.phone_number });
      expect(two.statusCode).toBe(200);
      const three = await sign({ msisdn: `tel:${POSTPAID.phone_number}` });
      const res = await retrieve(t, 'v0.2', three, {});
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(two.json());
      expect(
        (await retrieve(t, 'v0.3rc1', await sign({ msisdn: PREPAID.phone_number }), {})).statusCode,
      ).toBe(200);
      expect(
        (await retrieve(t, 'v0.3rc1', three, { phoneNumber: POSTPAID.phone_number })).json(),
      ).toMatchObject({
        code: 'UNNECESSARY_IDENTIFIER',
      });
      expect((await retrieve(t, 'v0.3rc1', await sign({}), {})).json()).toMatchObject({
        code: 'MISSING_IDENTIFIER',
      });
    });

    it("keeps the purpose the provider's token declares (a dpv: scope, in scope or scp) with the run", async () => {
      const body = { phoneNumber: PREPAID.phone_number };
      const asScope = await sign({ scope: `${SCOPE} dpv:CreditChecking` });
      expect((await retrieve(t, 'v0.3rc1', asScope, body)).statusCode).toBe(200);
      const asScp = await sign({ scope: undefined, scp: [SCOPE, 'dpv:IdentityVerification'] });
      expect((await retrieve(t, 'v0.3rc1', asScp, body)).statusCode).toBe(200);
      const native = (url: string) =>
        t.app.inject({ url: `/api/v1${url}`, headers: { authorization: `Bearer ${operatorKey}` } });
      const sub = (await native(`/telco/subscribers/${encodeURIComponent(PREPAID.phone_number)}`)).json();
      const subject = (await native(`/subjects?partner_id=${sub.subscriber_id}`)).json();
      const runs = (await native(`/subjects/${subject.id}/score-runs`)).json().runs as { purpose: unknown }[];
      expect(runs.slice(-2).map((r) => r.purpose)).toEqual([
        'dpv:CreditChecking',
        'dpv:IdentityVerification',
      ]);
    });

    it('refuses tokens of another issuer or key, expired ones, and those of its own provider', async () => {
      const body = { phoneNumber: POSTPAID.phone_number };
      const now = Math.floor(clock.now().getTime() / 1000);
      for (const token of [
        await sign({}, { issuer: 'https://other.example' }),
        await sign({}, { with: otherKey }),
        await sign({}, { with: otherKey, kid: 'idp-2' }),
        await sign({}, { exp: now - 10 }),
        await twoLeggedToken(t, await consumer(t, 'operator')),
      ])
        expect((await retrieve(t, 'v0.3rc1', token, body)).json()).toMatchObject({
          status: 401,
          code: 'UNAUTHENTICATED',
        });
      expect((await retrieve(t, 'v0.3rc1', await sign({ scope: 'openid' }), body)).json()).toMatchObject({
        status: 403,
        code: 'PERMISSION_DENIED',
      });
      // Credence's scope hierarchy is its own: the provider's token must carry the API's scope.
      for (const scope of ['customer-insights', 'customer-insights:scoring', '*'])
        expect((await retrieve(t, 'v0.3rc1', await sign({ scope }), body)).json()).toMatchObject({
          status: 403,
          code: 'PERMISSION_DENIED',
        });
      expect((await retrieve(t, 'v0.3rc1', await sign({ scope: `openid ${SCOPE}` }), body)).statusCode).toBe(
        200,
      );
    });

    it('reads the phone number in the claim as OpenID Connect writes it', async () => {
      const p = POSTPAID.phone_number;
      const expected = (await retrieve(t, 'v0.3rc1', await sign({}), { phoneNumber: p })).json();
      const spaced = `${p.slice(0, 4)} ${p.slice(4, 7)} ${p.slice(7, 10)} ${p.slice(10)}`;
      for (const claim of [
        spaced,
        `tel:${spaced}`,
        `TEL:${spaced}`,
        `${p.slice(0, 4)} (${p.slice(4, 7)}) ${p.slice(7)}`,
      ]) {
        const r = await retrieve(t, 'v0.3rc1', await sign({ msisdn: claim }), {});
        expect(r.statusCode, claim).toBe(200);
        expect(r.json()).toEqual(expected);
      }
      // Not an international number: it names nobody.
      expect((await retrieve(t, 'v0.3rc1', await sign({ msisdn: p.slice(1) }), {})).json()).toMatchObject({
        status: 404,
        code: 'IDENTIFIER_NOT_FOUND',
      });
    });

    it('reads a token that carries the claim as 3-legged whatever its value, so it never scores a number of the body', async () => {
      for (const msisdn of ['', ' ', 254712345678, false, null, {}, ['+254712345678']]) {
        const token = await sign({ msisdn });
        const named = await retrieve(t, 'v0.3rc1', token, { phoneNumber: POSTPAID.phone_number });
        expect(named.statusCode, JSON.stringify(msisdn)).toBe(422);
        expect(named.json()).toMatchObject({ code: 'UNNECESSARY_IDENTIFIER' });
        expect((await retrieve(t, 'v0.3rc1', token, {})).json(), JSON.stringify(msisdn)).toMatchObject({
          status: 404,
          code: 'IDENTIFIER_NOT_FOUND',
        });
      }
    });

    it('reads the provider keys once, not per request', async () => {
      const before = jwksRequests;
      const token = await sign({});
      for (let i = 0; i < 20; i++)
        expect((await retrieve(t, 'v0.3rc1', token, { phoneNumber: POSTPAID.phone_number })).statusCode).toBe(
          200,
        );
      expect(jwksRequests - before).toBe(0);
      expect(jwksRequests).toBeGreaterThanOrEqual(1);
    });

    it('refuses to start when CREDENCE_OIDC_TENANT names no tenant, or is unset while there are several', async () => {
      await t.ctx.tenants.create('second');
      const oidc = t.ctx.config.externalOidc!;
      const { tenant: _named, ...unnamed } = oidc;
      const config = (externalOidc: ExternalOidcConfig) => ({
        ...t.db.config,
        host: '127.0.0.1',
        port: 0,
        externalOidc,
      });
      await expect(startServer(config(unnamed))).rejects.toThrow(
        "CREDENCE_OIDC_TENANT must name the tenant whose subscribers the operator's tokens speak of: there are 2 tenants (operator, second)",
      );
      await expect(startServer(config({ ...oidc, tenant: 'nosuch' }))).rejects.toThrow(
        'CREDENCE_OIDC_TENANT names no tenant: "nosuch"',
      );
    });

    it('answers 500 INTERNAL, not a 404 that blames the caller, while the tenant cannot be found', async () => {
      // A fresh install: no tenant yet, so the start only warns; calls fail until the tenant exists.
      const fresh = await createTestApp(engine, {
        clock,
        config: { externalOidc: { ...t.ctx.config.externalOidc!, tenant: 'operator' } },
      });
      try {
        expect(await fresh.ctx.telco.accessTokens.checkAtStart!()).toEqual({
          warning:
            'CREDENCE_OIDC_TENANT names no tenant: "operator": the CAMARA API answers 500 until one is created',
        });
        const body = { phoneNumber: POSTPAID.phone_number };
        expect((await retrieve(fresh, 'v0.3rc1', await sign({}), body)).json()).toEqual({
          status: 500,
          code: 'INTERNAL',
          message: 'Unknown server error. Typically a server bug.',
        });
        await operatorWith(fresh, 'operator');
        expect((await retrieve(fresh, 'v0.3rc1', await sign({}), body)).statusCode).toBe(200);
      } finally {
        await fresh.close();
      }
    });

    it("answers 503 UNAVAILABLE, not a 401 that makes a client drop a good token, while the provider's keys cannot be read", async () => {
      const failing = http.createServer((_req, res) => res.writeHead(500).end('down'));
      await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
      const port = (failing.address() as AddressInfo).port;
      const down = await createTestApp(engine, {
        clock,
        config: { externalOidc: { ...t.ctx.config.externalOidc!, jwksUrl: `http://127.0.0.1:${port}/jwks` } },
      });
      try {
        await operatorWith(down, 'operator');
        const res = await retrieve(down, 'v0.3rc1', await sign({}), { phoneNumber: POSTPAID.phone_number });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toEqual({ status: 503, code: 'UNAVAILABLE', message: 'Service Unavailable.' });
        expect(res.headers['www-authenticate']).toBeUndefined();
      } finally {
        await down.close();
        await new Promise((r) => failing.close(r));
      }
    });
  });
}

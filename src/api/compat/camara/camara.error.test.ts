import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import {
  B2B,
  type Consumer,
  consumer,
  NEW_LINE,
  operatorWith,
  POSTPAID,
  PREPAID,
  retrieve,
  threeLeggedToken,
  twoLeggedToken,
  VERSIONS,
} from '../../../../test/helpers/camara.js';
import {
  documentedCodes,
  documentedStatuses,
  type SpecVersion,
} from '../../../../test/helpers/camara-spec.js';
import { ManualClock } from '../../../../test/helpers/clock.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { tamperedSignature } from '../../../../test/helpers/secrets.js';
import { DEFAULT_CAMARA_CONFIG } from '../../../domain/telco/operator-config.js';

type Body = { status: number; code: string; message: string };

for (const engine of ENGINES) {
  describe(`CAMARA Customer Insights on ${engine}: errors`, () => {
    const clock = new ManualClock('2026-11-21T10:00:00Z');
    /** Operator defaults. */
    let t: TestApp;
    /** gaugeMetric only, no idDocument. */
    let narrow: TestApp;
    /** idDocument required for prepaid. */
    let strict: TestApp;
    /** 3 requests a second. */
    let limited: TestApp;
    /** An idDocument held by nobody answered as another subscriber's. */
    let discreet: TestApp;
    let c: Consumer;
    let token: string;
    let cibaToken: string;
    let narrowToken: string;
    let strictToken: string;
    let limitedToken: string;
    let discreetToken: string;
    let discreetCibaToken: string;
    const seen: Record<SpecVersion, Set<string>> = { 'v0.3rc1': new Set(), 'v0.2': new Set() };

    const app = async (camara = DEFAULT_CAMARA_CONFIG) => {
      const a = await createTestApp(engine, { clock, config: { camara } });
      await operatorWith(a, 'operator');
      return a;
    };

    beforeAll(async () => {
      [t, narrow, strict, limited, discreet] = await Promise.all([
        app(),
        app({
          ...DEFAULT_CAMARA_CONFIG,
          scales: ['gaugeMetric'],
          idDocument: { ...DEFAULT_CAMARA_CONFIG.idDocument, supported: false },
        }),
        app({
          ...DEFAULT_CAMARA_CONFIG,
          idDocument: { ...DEFAULT_CAMARA_CONFIG.idDocument, requiredForSubscriptionTypes: ['prepaid'] },
        }),
        app({ ...DEFAULT_CAMARA_CONFIG, rateLimitPerSecond: 3 }),
        app({
          ...DEFAULT_CAMARA_CONFIG,
          idDocument: { ...DEFAULT_CAMARA_CONFIG.idDocument, notFoundForUnknown: false },
        }),
      ]);
      c = await consumer(t, 'operator');
      token = await twoLeggedToken(t, c);
      cibaToken = await threeLeggedToken(t, c, POSTPAID.phone_number);
      narrowToken = await twoLeggedToken(narrow, await consumer(narrow, 'operator'));
      strictToken = await twoLeggedToken(strict, await consumer(strict, 'operator'));
      limitedToken = await twoLeggedToken(limited, await consumer(limited, 'operator'));
      const discreetConsumer = await consumer(discreet, 'operator');
      discreetToken = await twoLeggedToken(discreet, discreetConsumer);
      discreetCibaToken = await threeLeggedToken(discreet, discreetConsumer, POSTPAID.phone_number);
    });
    afterAll(async () =>
      Promise.all([t?.close(), narrow?.close(), strict?.close(), limited?.close(), discreet?.close()]),
    );

    /** Calls, checks conformance (in `retrieve`), and returns the error body, noting its code. */
    const fail = async (
      version: SpecVersion,
      a: TestApp,
      tok: string | undefined,
      body: unknown,
      headers: Record<string, string> = {},
      method: 'POST' | 'GET' | 'PUT' | 'DELETE' = 'POST',
    ): Promise<Body> => {
      const res = await retrieve(a, version, tok, body, headers, method);
      const b = res.json() as Body;
      expect(res.statusCode).toBe(b.status);
      seen[version].add(`${b.status} ${b.code}`);
      return b;
    };

    for (const version of VERSIONS) {
      describe(version, () => {
        it('400 INVALID_ARGUMENT for a body that breaks the schema', async () => {
          for (const body of [
            '{"phoneNumber": ',
            '[]',
            '"text"',
            { phoneNumber: '254712345678' },
            { phoneNumber: '+0712345678' },
            { phoneNumber: 254712345678 },
            { phoneNumber: POSTPAID.phone_number, scoringType: 'fico' },
            { phoneNumber: POSTPAID.phone_number, idDocument: 12345678 },
          ]) {
            const b = await fail(version, t, token, body);
            expect(b, JSON.stringify(body)).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
          }
          const empty = await t.app.inject({
            method: 'POST',
            url: `/customer-insights/${version}/scoring/retrieve`,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          });
          expect(empty.json()).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
        });

        it('rejects undeclared body properties in 0.3 only, and idDocument over 30 characters', async () => {
          const extra = await retrieve(t, version, token, {
            phoneNumber: POSTPAID.phone_number,
            extra: true,
          });
          const long = await retrieve(t, version, token, {
            phoneNumber: POSTPAID.phone_number,
            idDocument: 'X'.repeat(31),
          });
          if (version === 'v0.3rc1') {
            expect(extra.json()).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
            expect((extra.json() as Body).message).toContain('extra');
            expect(long.json()).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
          } else {
            expect(extra.statusCode).toBe(200);
            // No length limit in 0.2: the document is looked up, and no subscriber holds it.
            expect(long.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
          }
        });

        it('x-correlator: echoed on success and on every error, 401 included; a bad one is a 400', async () => {
          const id = 'req:1;a.b/<c>{d}_e-f';
          const ok = await retrieve(
            t,
            version,
            token,
            { phoneNumber: POSTPAID.phone_number },
            { 'x-correlator': id },
          );
          expect(ok.headers['x-correlator']).toBe(id);
          for (const [tok, body] of [
            [undefined, {}],
            ['not-a-token', {}],
            [token, { phoneNumber: 'bad' }],
            [token, {}],
            [token, { phoneNumber: '+254799000000' }],
          ] as const) {
            const res = await retrieve(t, version, tok, body, { 'x-correlator': id });
            expect(res.statusCode).toBeGreaterThanOrEqual(400);
            expect(res.headers['x-correlator']).toBe(id);
          }
          const unknownPath = await t.app.inject({
            method: 'POST',
            url: `/customer-insights/${version}/scoring/nothing`,
            headers: { 'x-correlator': id },
          });
          expect(unknownPath.statusCode).toBe(404);
          expect(unknownPath.headers['x-correlator']).toBe(id);
          const otherVersion = await t.app.inject({
            method: 'POST',
            url: '/customer-insights/v0.1/scoring/retrieve',
            headers: { 'x-correlator': id },
          });
          expect(otherVersion.headers['x-correlator']).toBe(id);
          for (const bad of ['has space', 'x'.repeat(257), 'quote"', 'é']) {
            const res = await retrieve(
              t,
              version,
              token,
              { phoneNumber: POSTPAID.phone_number },
              { 'x-correlator': bad },
            );
            expect(res.json()).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
            expect(res.headers['x-correlator']).toBeUndefined();
            seen[version].add('400 INVALID_ARGUMENT');
          }
          const none = await retrieve(t, version, token, { phoneNumber: POSTPAID.phone_number });
          expect(none.headers['x-correlator']).toBeUndefined();
        });

        it('401 UNAUTHENTICATED with one body for missing, invalid and expired tokens', async () => {
          const bodies: Body[] = [];
          bodies.push(await fail(version, t, undefined, { phoneNumber: POSTPAID.phone_number }));
          bodies.push(await fail(version, t, 'not-a-token', { phoneNumber: POSTPAID.phone_number }));
          bodies.push(
            await fail(version, t, tamperedSignature(token), { phoneNumber: POSTPAID.phone_number }),
          );
          bodies.push(
            await fail(
              version,
              t,
              '',
              { phoneNumber: POSTPAID.phone_number },
              { authorization: 'Basic abc' },
            ),
          );
          // A token of another server (same format, other keys).
          bodies.push(await fail(version, t, narrowToken, { phoneNumber: POSTPAID.phone_number }));
          const soon = await twoLeggedToken(t, c);
          clock.advance(3601_000);
          bodies.push(await fail(version, t, soon, { phoneNumber: POSTPAID.phone_number }));
          clock.advance(-3601_000);
          for (const b of bodies) expect(b).toEqual(bodies[0]);
          // RFC 6750 §3: the scheme, and invalid_token for a token that was sent.
          const missing = await retrieve(t, version, undefined, { phoneNumber: POSTPAID.phone_number });
          expect(missing.headers['www-authenticate']).toBe('Bearer realm="customer-insights"');
          const invalid = await retrieve(t, version, 'not-a-token', { phoneNumber: POSTPAID.phone_number });
          expect(invalid.headers['www-authenticate']).toBe(
            'Bearer realm="customer-insights", error="invalid_token"',
          );
          expect(bodies[0]).toEqual({
            status: 401,
            code: 'UNAUTHENTICATED',
            message:
              'Request not authenticated due to missing, invalid, or expired credentials. A new authentication is required.',
          });
        });

        it('403 PERMISSION_DENIED without the scope customer-insights:scoring:read', async () => {
          const other = await consumer(t, 'operator', { scopes: ['telco:read'] });
          const res = await retrieve(t, version, await twoLeggedToken(t, other, 'telco:read'), {
            phoneNumber: POSTPAID.phone_number,
          });
          expect(res.json()).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });
          seen[version].add('403 PERMISSION_DENIED');
          // RFC 6750 §3.1: insufficient_scope, naming the scope needed.
          expect(res.headers['www-authenticate']).toBe(
            'Bearer realm="customer-insights", error="insufficient_scope", scope="customer-insights:scoring:read"',
          );
        });

        it('404 IDENTIFIER_NOT_FOUND for an unknown phone, with the message of the version', async () => {
          expect(await fail(version, t, token, { phoneNumber: '+254799000000' })).toEqual({
            status: 404,
            code: 'IDENTIFIER_NOT_FOUND',
            message: version === 'v0.2' ? 'phoneNumber not found.' : 'Device identifier not found.',
          });
        });

        it('404 NOT_FOUND in CAMARA words for any unknown path under /customer-insights', async () => {
          for (const path of [
            `/customer-insights/${version}/scoring/nothing`,
            `/customer-insights/${version}`,
            '/customer-insights/v0.3/scoring/retrieve',
            '/customer-insights/v0.1/scoring/retrieve',
            '/customer-insights/',
            '/customer-insights',
          ]) {
            const res = await t.app.inject({ method: 'POST', url: path, headers: { 'x-correlator': 'c-1' } });
            expect(res.statusCode, path).toBe(404);
            expect(res.headers['x-correlator'], path).toBe('c-1');
            expect(res.json(), path).toEqual({
              status: 404,
              code: 'NOT_FOUND',
              message: 'The specified resource is not found.',
            });
          }
          seen[version].add('404 NOT_FOUND');
        });

        it('404 NOT_FOUND for an idDocument no subscriber holds, 2- and 3-legged', async () => {
          const notFound = {
            status: 404,
            code: 'NOT_FOUND',
            message: 'The specified resource is not found.',
          };
          for (const idDocument of ['ZZ999999', '', '--'])
            expect(
              await fail(version, t, token, { phoneNumber: POSTPAID.phone_number, idDocument }),
              idDocument,
            ).toEqual(notFound);
          expect(await fail(version, t, cibaToken, { idDocument: 'ZZ999999' })).toEqual(notFound);
        });

        it("with notFoundForUnknown false, an idDocument held by nobody is answered as another subscriber's", async () => {
          // So that a caller with one phone number cannot learn whether a document is a subscriber's.
          const other = await fail(version, discreet, discreetToken, {
            phoneNumber: POSTPAID.phone_number,
            idDocument: PREPAID.id_document,
          });
          expect(other.status).toBe(422);
          for (const idDocument of ['ZZ999999', '', '--'])
            expect(
              await fail(version, discreet, discreetToken, {
                phoneNumber: POSTPAID.phone_number,
                idDocument,
              }),
              idDocument,
            ).toEqual(other);
          expect(await fail(version, discreet, discreetCibaToken, { idDocument: 'ZZ999999' })).toEqual(
            await fail(version, discreet, discreetCibaToken, { idDocument: PREPAID.id_document }),
          );
        });

        it('405, 406 and 415 with the Commonalities codes', async () => {
          // TRACE too, which light-my-request's types leave out.
          for (const method of ['GET', 'PUT', 'DELETE', 'TRACE'] as const) {
            const res = await retrieve(t, version, token, undefined, {}, method as 'GET');
            expect(res.json()).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
            expect(res.headers.allow).toBe('POST');
            seen[version].add('405 METHOD_NOT_ALLOWED');
          }
          expect(
            await fail(version, t, token, { phoneNumber: POSTPAID.phone_number }, { accept: 'text/html' }),
          ).toMatchObject({ status: 406, code: 'NOT_ACCEPTABLE' });
          expect(
            await fail(
              version,
              t,
              token,
              { phoneNumber: POSTPAID.phone_number },
              { accept: 'application/json;q=0, text/*' },
            ),
          ).toMatchObject({ status: 406 });
          // The most specific range decides (RFC 9110 §12.5.1).
          // A q-value is a decimal fraction: `0x1` is none, and weighs nothing.
          for (const accept of [
            'application/json;q=0, */*',
            'application/json;q=0, application/*;q=1',
            'application/json;q=0x1',
          ])
            expect(
              await fail(version, t, token, { phoneNumber: POSTPAID.phone_number }, { accept }),
              accept,
            ).toMatchObject({ status: 406 });
          for (const accept of [
            'application/json',
            'Application/JSON; charset=UTF-8',
            '*/*',
            'text/html, application/*;q=0.5',
            '*/*;q=0, application/json',
          ])
            expect(
              (await retrieve(t, version, token, { phoneNumber: POSTPAID.phone_number }, { accept }))
                .statusCode,
            ).toBe(200);
          for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])
            expect(
              await fail(version, t, token, JSON.stringify({ phoneNumber: POSTPAID.phone_number }), {
                'content-type': type,
              }),
            ).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
        });

        it('422 MISSING_IDENTIFIER and UNNECESSARY_IDENTIFIER by token kind', async () => {
          expect(await fail(version, t, token, { scoringType: 'gaugeMetric' })).toEqual({
            status: 422,
            code: 'MISSING_IDENTIFIER',
            message: 'The phone number cannot be identified.',
          });
          expect(await fail(version, t, token, { idDocument: POSTPAID.id_document })).toMatchObject({
            code: 'MISSING_IDENTIFIER',
          });
          // Even when it is the same phone number (the spec: the server does not compare).
          expect(await fail(version, t, cibaToken, { phoneNumber: POSTPAID.phone_number })).toEqual({
            status: 422,
            code: 'UNNECESSARY_IDENTIFIER',
            message: 'The phone number is already identified by the access token.',
          });
        });

        it('422 SERVICE_NOT_APPLICABLE for excluded subscriptions and too little history', async () => {
          for (const s of [B2B, NEW_LINE])
            expect(await fail(version, t, token, { phoneNumber: s.phone_number })).toEqual({
              status: 422,
              code: 'SERVICE_NOT_APPLICABLE',
              message: 'The service is not available for the provided identifier.',
            });
        });

        it('422 for an idDocument of another subscriber, and for a required one that is missing, per version', async () => {
          const mismatch = await fail(version, t, token, {
            phoneNumber: POSTPAID.phone_number,
            idDocument: PREPAID.id_document,
          });
          const required = await fail(version, strict, strictToken, { phoneNumber: PREPAID.phone_number });
          if (version === 'v0.2') {
            expect(mismatch).toMatchObject({ status: 422, code: 'CUSTOMER_INSIGHTS.INVALID_IDENTIFIERS' });
            expect(required).toMatchObject({ status: 422, code: 'CUSTOMER_INSIGHTS.ID_DOCUMENT_REQUIRED' });
          } else {
            expect(mismatch).toMatchObject({ status: 422, code: 'SERVICE_NOT_APPLICABLE' });
            expect(required).toMatchObject({ status: 422, code: 'SERVICE_NOT_APPLICABLE' });
          }
          // Postpaid does not need one there; with the prepaid subscriber's own document it scores.
          expect(
            (await retrieve(strict, version, strictToken, { phoneNumber: POSTPAID.phone_number })).statusCode,
          ).toBe(200);
          expect(
            (
              await retrieve(strict, version, strictToken, {
                phoneNumber: PREPAID.phone_number,
                idDocument: PREPAID.id_document,
              })
            ).statusCode,
          ).toBe(200);
        });

        it('422 SCALE_TYPE_NOT_SUPPORTED and ID_DOCUMENT_NOT_SUPPORTED by operator configuration', async () => {
          expect(
            await fail(version, narrow, narrowToken, {
              phoneNumber: POSTPAID.phone_number,
              scoringType: 'veritasIndex',
            }),
          ).toMatchObject({ status: 422, code: 'CUSTOMER_INSIGHTS.SCALE_TYPE_NOT_SUPPORTED' });
          expect(
            await fail(version, narrow, narrowToken, {
              phoneNumber: POSTPAID.phone_number,
              idDocument: POSTPAID.id_document,
            }),
          ).toEqual({
            status: 422,
            code: 'CUSTOMER_INSIGHTS.ID_DOCUMENT_NOT_SUPPORTED',
            // Each file's own text: 0.2 has no full stop, 0.3 has one.
            message: `Indicated parameter \`idDocument\` is not supported${version === 'v0.2' ? '' : '.'}`,
          });
          expect(
            (await retrieve(narrow, version, narrowToken, { phoneNumber: POSTPAID.phone_number })).json(),
          ).toMatchObject({
            scoringType: 'gaugeMetric',
          });
        });

        it('429 TOO_MANY_REQUESTS once a client spends its budget for the second, with Retry-After', async () => {
          let refused: Body | undefined;
          for (let i = 0; i < 10 && !refused; i++) {
            const res = await retrieve(limited, version, limitedToken, {
              phoneNumber: POSTPAID.phone_number,
            });
            if (res.statusCode === 429) {
              refused = res.json() as Body;
              expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
            }
          }
          expect(refused).toEqual({ status: 429, code: 'TOO_MANY_REQUESTS', message: 'Rate limit reached.' });
          seen[version].add('429 TOO_MANY_REQUESTS');
          // Another client of the same operator has its own budget.
          const other = await twoLeggedToken(limited, await consumer(limited, 'operator'));
          expect(
            (await retrieve(limited, version, other, { phoneNumber: POSTPAID.phone_number })).statusCode,
          ).toBe(200);
          // A path no route serves is answered before any token: it spends no budget, nobody's.
          for (let i = 0; i < 10; i++) {
            const unknown = await limited.app.inject({
              method: 'POST',
              url: `/customer-insights/${version}/scoring/nowhere`,
              payload: {},
            });
            expect(unknown.statusCode).toBe(404);
            expect(unknown.headers['x-ratelimit-limit']).toBeUndefined();
          }
        });

        it('answered every error code its OpenAPI file documents', () => {
          for (const status of documentedStatuses(version).filter((s) => s >= 400))
            for (const code of documentedCodes(version, status))
              expect(seen[version]).toContain(`${status} ${code}`);
        });
      });
    }
  });
}

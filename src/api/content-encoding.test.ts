import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { consumer, operatorWith, POSTPAID, retrieve, twoLeggedToken } from '../../test/helpers/camara.js';
import { ENGINES } from '../../test/helpers/databases.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

for (const engine of ENGINES) {
  describe(`compressed request bodies on ${engine}`, () => {
    let t: TestApp;
    let key: string;
    beforeAll(async () => {
      t = await createTestApp(engine);
      ({ key } = await t.tenantWithKey('acme'));
    });
    afterAll(async () => t?.close());

    const cladfy = (payload: Buffer, encoding: string) =>
      t.app.inject({
        method: 'POST',
        url: '/cladfy/v1/demographic_score/',
        headers: { 'x-api-key': key, 'content-type': 'application/json', 'content-encoding': encoding },
        payload,
      });
    const native = (payload: Buffer, encoding: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/outcomes',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-encoding': encoding,
        },
        payload,
      });

    it('reads a gzip, deflate or br body as the body it holds, in every dialect', async () => {
      const gz = await cladfy(gzipSync(json({ client_id: 'gz-1', age: 30 })), 'gzip');
      expect(gz.statusCode).toBe(200);
      const history = await t.app.inject({
        url: '/cladfy/v1/client_data/?client_id=gz-1&service=demographic_score',
        headers: { 'x-api-key': key },
      });
      expect(history.json()[0].client_data).toEqual({ client_id: 'gz-1', age: 30 });
      expect((await cladfy(json({ client_id: 'id-1', age: 30 }), 'identity')).statusCode).toBe(200);

      const outcomes = {
        outcomes: [{ partner_id: 'gz-1', loan_id: 'L-1', status: 'paid', observed_at: '2026-11-30' }],
      };
      const reported = await native(deflateSync(json(outcomes)), 'deflate');
      expect(reported.statusCode).toBe(201);
      expect(reported.json()).toMatchObject({ stored: 1 });

      // A form body (an OAuth token request), compressed with Brotli.
      await t.ctx.tenants.create('forms');
      const c = await t.ctx.oauthClients.create({ tenant: 'forms', grants: ['client_credentials'] });
      const token = await t.app.inject({
        method: 'POST',
        url: '/friendlyscore/oauth/v2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'br' },
        payload: brotliCompressSync(
          Buffer.from(
            `grant_type=client_credentials&client_id=${c.clientId}&client_secret=${c.clientSecret}`,
          ),
        ),
      });
      expect(token.statusCode).toBe(200);
      expect(token.json().access_token).toEqual(expect.any(String));
    });

    it('refuses another coding as an unsupported media type, naming those it reads', async () => {
      const body = json({ client_id: 'x-1', age: 30 });
      const refused = await native(body, 'compress');
      expect(refused.statusCode).toBe(415);
      expect(refused.json()).toMatchObject({
        code: 'CREDENCE_UNSUPPORTED_MEDIA_TYPE',
        detail:
          'Content-Encoding compress is not supported: send the body uncompressed, or as gzip, deflate, br',
      });
      expect(refused.headers['accept-encoding']).toBe('gzip, deflate, br');
      // Codings stacked on one another too.
      expect((await cladfy(gzipSync(gzipSync(body)), 'gzip, gzip')).json()).toEqual({
        error:
          'Content-Encoding gzip, gzip is not supported: send the body uncompressed, or as gzip, deflate, br',
      });
      // Names that an object's prototype holds are codings like any other.
      for (const coding of ['constructor', '__proto__'])
        expect((await cladfy(body, coding)).json(), coding).toEqual({
          error: `Content-Encoding ${coding} is not supported: send the body uncompressed, or as gzip, deflate, br`,
        });

      await operatorWith(t, 'operator');
      const camara = await retrieve(
        t,
        'v0.3rc1',
        await twoLeggedToken(t, await consumer(t, 'operator')),
        { phoneNumber: POSTPAID.phone_number },
        { 'content-encoding': 'zstd' },
      );
      expect(camara.statusCode).toBe(415);
      expect(camara.json()).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });

      // A path no route serves is a 404 whatever its body.
      const unknown = await t.app.inject({
        method: 'POST',
        url: '/api/v1/nowhere',
        headers: { authorization: `Bearer ${key}`, 'content-encoding': 'compress' },
        payload: body,
      });
      expect(unknown.statusCode).toBe(404);
    });

    it('answers a route that leaves a broken compressed body unread as without it, and goes on', async () => {
      const notGzip = Buffer.from('plain, not gzip');
      const unknown = await t.app.inject({
        method: 'POST',
        url: '/nowhere',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        payload: notGzip,
      });
      expect(unknown.statusCode).toBe(404);
      const wrongMethod = await t.app.inject({
        method: 'PUT',
        url: '/customer-insights/v0.3rc1/scoring/retrieve',
        headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' },
        payload: notGzip,
      });
      expect(wrongMethod.statusCode).toBe(405);
      // The inflater fails after the answer; its error, with no body reader to take it, was an
      // unhandled 'error' event that ended the process.
      await new Promise((r) => setTimeout(r, 100));
      expect((await cladfy(gzipSync(json({ client_id: 'after-1', age: 30 })), 'gzip')).statusCode).toBe(200);
    });

    it('refuses a body its coding does not describe, and one that inflates past the limit', async () => {
      const runs = () => t.ctx.database.db.selectFrom('score_runs').select('id').execute();
      const before = (await runs()).length;
      const broken = await cladfy(Buffer.from('{"client_id":"plain, not gzip"}'), 'gzip');
      expect(broken.statusCode).toBe(400);
      expect(broken.json()).toEqual({
        error: 'request body is not valid gzip data, as its Content-Encoding says',
      });
      const truncated = gzipSync(json({ client_id: 'cut-1', age: 30 }));
      expect((await cladfy(truncated.subarray(0, truncated.length - 10), 'gzip')).statusCode).toBe(400);

      // 40 kB that would be 8 MiB: cut off at the 1 MiB limit.
      const bomb = gzipSync(
        Buffer.concat([Buffer.from('{"client_id":"'), Buffer.alloc(8 << 20, 97), Buffer.from('"}')]),
      );
      expect(bomb.length).toBeLessThan(64 * 1024);
      const tooLarge = await cladfy(bomb, 'gzip');
      expect(tooLarge.statusCode).toBe(413);
      // None of them was scored.
      expect(await runs()).toHaveLength(before);
    });
  });
}

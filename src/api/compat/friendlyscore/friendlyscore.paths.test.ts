import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ENGINES } from '../../../../test/helpers/databases.js';
import { BASE, calculateBody, type FsClient, fsClient } from '../../../../test/helpers/friendlyscore.js';

for (const engine of ENGINES) {
  describe(`FriendlyScore dialect on ${engine}: paths and methods`, () => {
    let t: TestApp;
    let c: FsClient;
    afterEach(async () => t.close());

    it('serves a partner id of 255 characters on every path', async () => {
      t = await createTestApp(engine);
      c = await fsClient(t, 'acme');
      const id = `p${'x'.repeat(253)}9`;
      expect(id).toHaveLength(255);
      const user = `/api/v2/users/partner-id/${id}`;
      const calc = await c.call('POST', `${user}/calculate_score.json`, calculateBody());
      expect(calc.json()).toEqual({ result: 'success', message: 'Queued for calculation.', user_id: '1' });
      await t.ctx.queue.drain();
      const calls: ['GET' | 'POST' | 'PUT' | 'DELETE', string, unknown?][] = [
        ['GET', `/api/v2/get_score.json?partner_user_id=${id}`],
        ['GET', `${user}/get_score.json`],
        ['GET', `${user}/show.json`],
        ['GET', `${user}/show/ip-address-data.json`],
        ['GET', `${user}/show/min-fraud-data.json`],
        ['GET', `${user}/show/social-network-data.json`],
        ['GET', `${user}/show/data-points.json`],
        ['GET', `${user}/facebook-data.json`],
        ['GET', `${user}/google/raw-file-data/skills.json`],
        ['PUT', `${user}/positive/1.json`],
        ['POST', `${user}/performance-data.json`, { loan_status: 'paid' }],
        ['POST', `${user}/status.json`, { status: 'approved' }],
        ['DELETE', `${user}/delete.json`],
      ];
      for (const [method, path, body] of calls) {
        const res = await c.call(method, path, body);
        expect([200, 204], `${method} ${path.slice(0, 40)}`).toContain(res.statusCode);
      }
      const show = await c.call('GET', `${user}/show.json`);
      expect(show.json()).toEqual({ code: 404, message: 'User not found' });
    });

    it('reads a partner id that is a URL, written unencoded in the query, as that id', async () => {
      t = await createTestApp(engine);
      c = await fsClient(t, 'acme');
      const id = 'https://crm.example/api/v2/users/acct/42';
      const calc = await c.call('POST', '/api/v2/calculate_score.json', {
        ...calculateBody(),
        partner_user_id: id,
      });
      expect(calc.statusCode).toBe(200);
      await t.ctx.queue.drain();
      const encoded = await c.call('GET', `/api/v2/get_score.json?partner_user_id=${encodeURIComponent(id)}`);
      expect([200, 204]).toContain(encoded.statusCode);
      const plain = await c.call('GET', `/api/v2/get_score.json?partner_user_id=${id}`);
      expect(plain.statusCode).toBe(encoded.statusCode);
      expect(plain.body).toBe(encoded.body);
      const users = await c.call('GET', '/api/v2/users.json');
      expect(users.json().results).toMatchObject([{ id: 1, partner_id: id }]);
    });

    it('serves no path whose percent-encoding spells bytes that are not UTF-8, and makes no user of it', async () => {
      t = await createTestApp(engine);
      c = await fsClient(t, 'acme');
      for (const id of ['%E9', '%C0%AE', 'caf%E9'])
        for (const [method, path] of [
          ['POST', `/api/v2/users/partner-id/${id}/calculate_score.json`],
          ['GET', `/api/v2/users/partner-id/${id}/show.json`],
          ['DELETE', `/api/v2/users/partner-id/${id}/delete.json`],
        ] as const) {
          const res = await c.call(method, path, method === 'POST' ? calculateBody() : undefined);
          expect(res.statusCode, `${method} ${path}`).toBe(404);
          expect(res.json()).toMatchObject({ code: 404 });
          expect(res.json().message).toBe(`No route found for "${method} ${BASE}${path}"`);
        }
      expect((await c.call('GET', '/api/v2/users.json')).json().results).toEqual([]);
      // The text `%E9` itself, sent percent-encoded, is a partner id like any other.
      const literal = await c.call(
        'POST',
        '/api/v2/users/partner-id/%25E9/calculate_score.json',
        calculateBody(),
      );
      expect(literal.json()).toMatchObject({ result: 'success', user_id: '1' });
      const users = (await c.call('GET', '/api/v2/users.json')).json().results;
      expect(users.map((u: { partner_id: string }) => u.partner_id)).toEqual(['%E9']);
    });

    it('answers a served path asked with another method with 400 and Allow', async () => {
      t = await createTestApp(engine);
      c = await fsClient(t, 'acme');
      const cases: ['GET' | 'POST' | 'PUT' | 'DELETE', string, string][] = [
        ['GET', '/api/v2/users/partner-id/x/calculate_score.json', 'POST'],
        ['GET', '/api/v2/calculate_score.json', 'POST'],
        ['POST', '/api/v2/get_score.json', 'GET, HEAD'],
        ['DELETE', '/api/v2/users/id/1/show.json', 'GET, HEAD'],
        ['POST', '/api/v2/users/id/1/positive/1.json', 'PUT'],
        ['GET', '/oauth/v2/token', 'POST'],
      ];
      for (const [method, path, allow] of cases) {
        const res = await c.call(method, path);
        expect(res.statusCode, `${method} ${path}`).toBe(400);
        expect(res.headers.allow).toBe(allow);
        expect(res.json()).toEqual({
          code: 400,
          message: `No route found for "${method} ${BASE}${path}": Method Not Allowed (Allow: ${allow})`,
        });
      }
      // OPTIONS is not served; its Allow lists every method that is, HEAD with GET as Fastify serves it.
      for (const [path, allow] of [
        ['/api/v2/users/id/1/show.json', 'GET, HEAD'],
        ['/api/v2/users/id/1/delete.json', 'DELETE'],
        ['/api/v2/calculate_score.json', 'POST'],
      ]) {
        const options = await t.app.inject({
          method: 'OPTIONS',
          url: `${BASE}${path}`,
          headers: { authorization: `Bearer ${c.token}` },
        });
        expect(options.statusCode, path).toBe(400);
        expect(options.headers.allow, path).toBe(allow);
        expect(options.json().message).toBe(
          `No route found for "OPTIONS ${BASE}${path}": Method Not Allowed (Allow: ${allow})`,
        );
      }
      const head = await t.app.inject({
        method: 'HEAD',
        url: `${BASE}/api/v2/users.json`,
        headers: { authorization: `Bearer ${c.token}` },
      });
      expect(head.statusCode).toBe(200);
      const unknown = await c.call('POST', '/api/v2/nothing.json');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toEqual({
        code: 404,
        message: `No route found for "POST ${BASE}/api/v2/nothing.json"`,
      });
    });
  });
}

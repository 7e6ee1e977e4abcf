import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';

describe('native, admin and device sync APIs: the Accept header', () => {
  let t: TestApp;
  let key: string;
  const get = (accept: string | undefined, url = '/api/v1/models', k: string | undefined = key) =>
    t.app.inject({
      method: 'GET',
      url,
      headers: {
        ...(k !== undefined ? { authorization: `Bearer ${k}` } : {}),
        ...(accept !== undefined ? { accept } : {}),
      },
    });

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    ({ key } = await t.tenantWithKey('acme'));
  });
  afterAll(async () => t?.close());

  it.each([
    'text/html',
    'text/*',
    'application/xml, text/html;q=0.9',
    'application/json;q=0',
    'application/json;q=0, application/problem+json;q=0, text/html',
    'application/json;q=0, application/problem+json;q=0, */*;q=0.1',
    'application/json;charset=latin1',
  ])('406 problem+json for %j, whatever the key', async (accept) => {
    for (const res of [await get(accept), await get(accept, '/api/v1/models', undefined)]) {
      expect(res.statusCode).toBe(406);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({
        type: '/docs/errors#credence_not_acceptable',
        title: 'Not acceptable',
        status: 406,
        code: 'CREDENCE_NOT_ACCEPTABLE',
        detail: expect.stringMatching(/application\/json.*application\/problem\+json/),
        instance: '/api/v1/models',
        request_id: res.headers['x-request-id'],
      });
    }
  });

  it.each([
    undefined,
    '',
    '*/*',
    'application/*',
    'application/json',
    'APPLICATION/JSON',
    'application/json; charset=utf-8',
    'application/problem+json',
    'text/html, application/json;q=0.1',
    'text/html;q=1, */*;q=0.01',
    'application/json;q=0, */*',
  ])('answers as usual for %j', async (accept) => {
    const res = await get(accept);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('refuses the same on the admin API and on device sync, before their keys are checked', async () => {
    const admin = (await t.ctx.adminKeys.create()).key;
    const device = (await t.ctx.apiKeys.create({ tenant: 'acme', type: 'device' })).key;
    const body = { customer_id: 'cust-1', batch_id: 'b-1', contacts_count: 3 };
    const call = (accept: string | undefined, url: string, k: string | undefined, payload?: object) =>
      t.app.inject({
        method: payload ? 'POST' : 'GET',
        url,
        headers: {
          ...(k !== undefined ? { authorization: `Bearer ${k}` } : {}),
          ...(accept !== undefined ? { accept } : {}),
        },
        ...(payload ? { payload } : {}),
      });
    for (const [url, k, payload] of [
      ['/api/v1/admin/tenants', admin, undefined],
      ['/api/v1/device-sync', device, body],
    ] as const) {
      for (const res of [
        await call('text/html', url, k, payload),
        await call('text/html', url, undefined, payload),
      ]) {
        expect(res.statusCode, url).toBe(406);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json()).toMatchObject({ code: 'CREDENCE_NOT_ACCEPTABLE', instance: url });
      }
      const accepted = [];
      for (const accept of [undefined, 'application/json', 'text/html, */*;q=0.1']) {
        const res = await call(accept, url, k, payload);
        accepted.push(res.statusCode);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      }
      // The refused batch was not stored: the first accepted one is new (201), then replayed.
      expect(accepted, url).toEqual(payload ? [201, 200, 200] : [200, 200, 200]);
    }
  });

  it('answers a path no route serves with its 404, whatever the Accept', async () => {
    expect((await get('text/html', '/api/v1/nothing-here')).json().code).toBe('CREDENCE_ROUTE_NOT_FOUND');
  });

  it('leaves the dialects, the probes, the metrics and the docs alone', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/docs', '/docs/errors'])
      expect((await get('text/html', url, undefined)).statusCode, url).toBe(200);
    const cladfy = await t.app.inject({
      method: 'POST',
      url: '/cladfy/v1/demographic_score/',
      headers: { 'x-api-key': key, accept: 'text/html' },
      payload: { client_id: 'c-1', age: 30 },
    });
    expect(cladfy.statusCode).toBe(200);
  });
});

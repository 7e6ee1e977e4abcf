import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';

describe('native API: the Accept header', () => {
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

import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { finboxTenant } from '../../test/helpers/finbox.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = { 'content-type': 'application/json' };
/** Bodies a route would refuse: a form post, empty or broken JSON, one over the limit, odd types. */
const ODD_BODIES: [string, Record<string, string>][] = [
  ['client_id=1', FORM],
  ['', JSON_TYPE],
  ['{"client_id":', JSON_TYPE],
  [JSON.stringify({ blob: 'x'.repeat(2 * 1024 * 1024) }), JSON_TYPE],
  ['<a/>', { 'content-type': 'application/xml' }],
  ['{}', { 'content-type': 'not a media type' }],
];

/** Values made per request (request ids, TD's sequence_id) set aside, so that answers compare. */
function comparable(body: string): unknown {
  const { sequence_id: _s, request_id: _r, ...rest } = JSON.parse(body) as Record<string, unknown>;
  return rest;
}

describe('a path or method no route serves answers as such whatever its body', () => {
  let t: TestApp;
  let cladfyKey: string;
  let finboxKey: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    cladfyKey = (await t.tenantWithKey('acme')).key;
    finboxKey = (await finboxTenant(t, 'finbox')).serverKey;
  });
  afterAll(() => t.close());

  // Under each dialect's prefix, the native API and the root, with the credentials each asks for
  // before it looks at the path (so that the answer is the 404, not a 401).
  const CASES: [string, string, string, () => Record<string, string>, number][] = [
    ['root', 'POST', '/nowhere', () => ({}), 404],
    ['native API', 'POST', '/api/v1/nowhere', () => ({ authorization: `Bearer ${cladfyKey}` }), 404],
    ['Cladfy', 'POST', '/cladfy/v1/credit_score/', () => ({ 'x-api-key': cladfyKey }), 404],
    ['FriendlyScore', 'POST', '/friendlyscore/api/v2/nowhere.json', () => ({}), 404],
    // Symfony's answer to a method the path is not served with.
    ['FriendlyScore, wrong method', 'DELETE', '/friendlyscore/api/v2/users.json', () => ({}), 400],
    ['TD', 'POST', '/td/nowhere?partner_code=x&partner_key=y', () => ({}), 404],
    ['FinBox', 'POST', '/finbox/v3/risk/predictors', () => ({ 'x-api-key': finboxKey }), 404],
    ['CAMARA', 'POST', '/customer-insights/v0.3rc1/scoring/nowhere', () => ({}), 404],
    ['CAMARA, wrong method', 'PUT', '/customer-insights/v0.3rc1/scoring/retrieve', () => ({}), 405],
    // A path that cannot be percent-decoded is an unknown path of its dialect, not the router's 400.
    ['FinBox, undecodable', 'POST', '/finbox/v2/risk/predictors%', () => ({ 'x-api-key': finboxKey }), 404],
    [
      'Cladfy, undecodable',
      'POST',
      '/cladfy/v1/demographic_score/%zz',
      () => ({ 'x-api-key': cladfyKey }),
      404,
    ],
    ['TD, undecodable', 'POST', '/td/api%?partner_code=x&partner_key=y', () => ({}), 404],
    ['CAMARA, undecodable', 'POST', '/customer-insights/v0.3rc1/scoring/retrieve%C3%28', () => ({}), 404],
    [
      'native API, undecodable',
      'POST',
      '/api/v1/subjects/%',
      () => ({ authorization: `Bearer ${cladfyKey}` }),
      404,
    ],
    // A NUL in a path no route serves: the dialect's unknown path, not a bad parameter named `*`.
    ['Cladfy, a NUL', 'POST', '/cladfy/v1/%00/', () => ({ 'x-api-key': cladfyKey }), 404],
    ['TD, a NUL', 'POST', '/td/%00?partner_code=x&partner_key=y', () => ({}), 404],
    ['CAMARA, a NUL', 'POST', '/customer-insights/v0.3rc1/%00', () => ({}), 404],
    ['FinBox, a NUL', 'POST', '/finbox/%00', () => ({ 'x-api-key': finboxKey }), 404],
    ['FriendlyScore, a NUL', 'POST', '/friendlyscore/api/v2/%00.json', () => ({}), 404],
    ['native API, a NUL', 'POST', '/api/v1/%00', () => ({ authorization: `Bearer ${cladfyKey}` }), 404],
    ['root, a NUL', 'POST', '/%00', () => ({}), 404],
    // A route's id that spells bytes that are not UTF-8: no route takes it for the id `%E9`.
    [
      'native API, an id that is not UTF-8',
      'POST',
      '/api/v1/subjects/%E9/data/social/paypal',
      () => ({ authorization: `Bearer ${cladfyKey}` }),
      404,
    ],
    [
      'FriendlyScore, an id that is not UTF-8',
      'POST',
      '/friendlyscore/api/v2/users/partner-id/%C0%AE/calculate_score.json',
      () => ({}),
      404,
    ],
  ];
  it.each(CASES)('%s: %s %s', async (dialect, method, url, credentials, status) => {
    const inject = (payload: string, headers: Record<string, string>) =>
      t.app.inject({ method: method as 'POST', url, headers: { ...credentials(), ...headers }, payload });
    const plain = await inject('{"client_id":"1"}', JSON_TYPE);
    expect(plain.statusCode, dialect).toBe(status);
    for (const [payload, headers] of ODD_BODIES) {
      const res = await inject(payload, headers);
      const what = `${dialect}: ${headers['content-type']} ${payload.slice(0, 16)}`;
      expect(res.statusCode, what).toBe(status);
      expect(res.headers['content-type'], what).toBe(plain.headers['content-type']);
      expect(comparable(res.body), what).toEqual(comparable(plain.body));
    }
  });

  it('quotes an undecodable path back as it was sent', async () => {
    const native = await t.app.inject({
      method: 'GET',
      url: '/api/v1/subjects/%E9',
      headers: { authorization: `Bearer ${cladfyKey}` },
    });
    expect(native.statusCode).toBe(404);
    expect(native.json()).toMatchObject({
      detail: 'no route GET /api/v1/subjects/%E9',
      instance: '/api/v1/subjects/%E9',
    });
    const cladfy = await t.app.inject({
      method: 'GET',
      url: '/cladfy/v1/%ZZ/?client_id=1',
      headers: { 'x-api-key': cladfyKey },
    });
    expect(cladfy.json()).toEqual({ error: 'no route GET /cladfy/v1/%ZZ/' });
  });

  it('a route that exists still reads its body, and refuses a bad one', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/cladfy/v1/demographic_score/',
      headers: { ...JSON_TYPE, 'x-api-key': cladfyKey },
      payload: '{"client_id":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/JSON/);
  });

  it('the connection stays usable after a body left unread', async () => {
    const address = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' }));
    // One socket at most: were the server to close it, the agent would have to open another.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const call = (method: string, path: string, body?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: address.hostname,
            port: address.port,
            method,
            path,
            agent,
            headers: { ...JSON_TYPE, 'x-api-key': cladfyKey },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    let connections = 0;
    t.app.server.on('connection', () => connections++);
    try {
      for (let round = 0; round < 3; round++) {
        const unknown = await call(
          'POST',
          '/cladfy/v1/credit_score/',
          JSON.stringify({ blob: 'x'.repeat(256 * 1024) }),
        );
        expect(unknown.status).toBe(404);
        expect(JSON.parse(unknown.body)).toEqual({ error: 'no route POST /cladfy/v1/credit_score/' });
        expect((await call('GET', '/healthz')).status).toBe(200);
      }
    } finally {
      agent.destroy();
    }
    expect(connections).toBe(1);
  });
});

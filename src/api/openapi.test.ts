import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';

describe('GET /docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('documents the model-building routes with their schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const outcomes = doc.paths['/api/v1/outcomes'].post;
    expect(outcomes.tags).toEqual(['outcomes']);
    const body = JSON.stringify(outcomes.requestBody);
    expect(body).toContain('"outcomes"');
    // The record schema is shared through a reference to the document's components.
    const ref = /#\/components\/schemas\/([\w-]+)/.exec(body)?.[1];
    expect(Object.keys(doc.components.schemas[ref!].properties)).toContain('partner_id');
    const perf = doc.paths['/api/v1/models/{id}/performance'].get;
    expect(perf.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['id', 'window_days', 'recent_days', 'from', 'to']),
    );
    expect(JSON.stringify(doc)).toContain('"window_days"');
  });

  it('documents every error status of the native and admin APIs as application/problem+json', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    type Responses = Record<string, { content?: Record<string, unknown> }>;
    const responses = (path: string, method: string): Responses => doc.paths[path][method].responses;
    const mediaTypes = (r: Responses, status: string) => Object.keys(r[status]?.content ?? {});

    // A POST of the native API: the shared refusals besides its own.
    const upload = responses('/api/v1/models', 'post');
    for (const status of ['400', '401', '403', '409', '413', '415', '422', '429', '500', '503'])
      expect(mediaTypes(upload, status), status).toEqual(['application/problem+json']);
    expect(mediaTypes(upload, '201')).toEqual(['application/json']);
    // A GET has no body to refuse and no Idempotency-Key.
    const subject = responses('/api/v1/subjects/{id}', 'get');
    expect(mediaTypes(subject, '404')).toEqual(['application/problem+json']);
    expect(mediaTypes(subject, '429')).toEqual(['application/problem+json']);
    expect(subject['413']).toBeUndefined();
    expect(subject['409']).toBeUndefined();
    // The admin API has no rate limit of its own.
    const tenants = responses('/api/v1/admin/tenants', 'post');
    expect(mediaTypes(tenants, '403')).toEqual(['application/problem+json']);
    expect(mediaTypes(tenants, '415')).toEqual(['application/problem+json']);
    expect(tenants['429']).toBeUndefined();
    // The device sync answers problem+json too, its body limits and failures included.
    const deviceSync = responses('/api/v1/device-sync', 'post');
    for (const status of ['400', '401', '403', '413', '415', '500'])
      expect(mediaTypes(deviceSync, status), status).toEqual(['application/problem+json']);
    expect(deviceSync['429']).toBeUndefined();

    // And what is documented is what is sent.
    const { key } = await t.tenantWithKey('openapi-problems');
    const device = (await t.ctx.apiKeys.create({ tenant: 'openapi-problems', type: 'device' })).key;
    for (const [url, credential, type] of [
      ['/api/v1/models', key, 'text/csv'],
      ['/api/v1/device-sync', device, 'text/plain'],
    ] as const) {
      const sent = await t.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${credential}`, 'content-type': type },
        payload: 'a,b',
      });
      expect(sent.statusCode, url).toBe(415);
      expect(sent.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
  });

  it('documents how each API authenticates, the Idempotency-Key, optional defaults and the OAuth form', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    const op = (path: string, method: string) => doc.paths[path][method];
    const apiKey = [{ bearerApiKey: [] }, { apiKeyHeader: [] }];
    expect(op('/api/v1/models', 'get').security).toEqual(apiKey);
    expect(op('/api/v1/device-score', 'post').security).toEqual(apiKey);
    expect(op('/api/v1/device-sync', 'post').security).toEqual(apiKey);
    expect(op('/api/v1/admin/tenants', 'post').security).toEqual([
      { bearerAdminKey: [] },
      { adminKeyHeader: [] },
    ]);
    for (const scheme of ['apiKeyHeader', 'bearerAdminKey', 'adminKeyHeader', 'oauthClientBasic'])
      expect(doc.components.securitySchemes[scheme], scheme).toBeDefined();

    const header = (path: string, method: string) =>
      (op(path, method).parameters ?? []).find((p: { in: string; name: string }) => p.in === 'header');
    expect(header('/api/v1/models', 'post')).toMatchObject({ name: 'idempotency-key', required: false });
    expect(header('/api/v1/models', 'get')).toBeUndefined();
    expect(header('/api/v1/admin/tenants', 'post')).toBeUndefined();

    // A query parameter with a default may be left out.
    const limit = op('/api/v1/subjects/{id}/score-runs', 'get').parameters.find(
      (p: { name: string }) => p.name === 'limit',
    );
    expect(limit.required).toBe(false);
    expect(limit.schema.default).toBeDefined();

    const token = op('/oauth2/token', 'post');
    expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    const form = token.requestBody.content['application/x-www-form-urlencoded'].schema;
    expect(Object.keys(form.properties)).toEqual(
      expect.arrayContaining([
        'grant_type',
        'scope',
        'auth_req_id',
        'client_id',
        'client_secret',
        'client_assertion',
      ]),
    );
    for (const status of ['200', '400', '401', '413', '415', '500'])
      expect(token.responses[status], status).toBeDefined();
    expect(token.security).toEqual([{ oauthClientBasic: [] }, {}]);
    expect(Object.keys(op('/oauth2/bc-authorize', 'post').requestBody.content)).toEqual([
      'application/x-www-form-urlencoded',
    ]);
    expect(Object.keys(op('/oauth2/jwks', 'get').responses['200'].content)).toEqual([
      'application/jwk-set+json',
    ]);
    expect(
      op('/.well-known/openid-configuration', 'get').responses['200'].content['application/json'],
    ).toBeDefined();

    // A file upload's body, the dialect's body types, and refusals each route can give.
    const upload = op('/api/v1/subjects/{id}/data/documents', 'post');
    expect(Object.keys(upload.requestBody.content)).toContain('application/pdf');
    expect(upload.responses['415'].description).toContain('application/pdf');
    const feedback = op('/friendlyscore/api/v2/users/{idType}/{id}/status.json', 'post');
    expect(Object.keys(feedback.requestBody.content)).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ]);
    for (const status of ['413', '415', '500']) expect(feedback.responses[status], status).toBeDefined();
    expect(op('/api/v1/admin/tenants/{tenant}/models/{id}/activate', 'post').responses['422']).toBeDefined();
  });
});

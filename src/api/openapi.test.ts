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
});

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
});

import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HttpMetrics } from './http-metrics.js';
import { dialectOf } from './metrics.js';

describe('HttpMetrics', () => {
  it('exposes counts and cumulative duration buckets by route, dialect and status', async () => {
    const registry = new Registry();
    const m = new HttpMetrics([0.01, 0.1], (route) => (route ? 'cladfy' : 'none'));
    m.register(
      registry,
      { requests: 'req_total', duration: 'req_seconds' },
      { requests: 'r', duration: 'd' },
    );
    m.observe('/a', 200, 0.005);
    m.observe('/a', 200, 0.05);
    m.observe('/a', 200, 3);
    m.observe(undefined, 404, 0.001);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE req_total counter');
    expect(text).toContain('req_total{route="/a",dialect="cladfy",status="200"} 3');
    expect(text).toContain('req_total{route="unmatched",dialect="none",status="404"} 1');
    expect(text).toContain('# TYPE req_seconds histogram');
    expect(text).toContain('req_seconds_bucket{le="0.01",route="/a",dialect="cladfy",status="200"} 1');
    expect(text).toContain('req_seconds_bucket{le="0.1",route="/a",dialect="cladfy",status="200"} 2');
    expect(text).toContain('req_seconds_bucket{le="+Inf",route="/a",dialect="cladfy",status="200"} 3');
    expect(text).toContain('req_seconds_sum{route="/a",dialect="cladfy",status="200"} 3.055');
    expect(text).toContain('req_seconds_count{route="/a",dialect="cladfy",status="200"} 3');
  });
});

describe('dialectOf', () => {
  it.each([
    ['/cladfy/v1/demographic_score/', 'cladfy'],
    ['/api/v1/models', 'native'],
    ['/api/v1/admin/tenants/:tenant/keys', 'admin'],
    ['/healthz', 'none'],
    ['/docs/json', 'none'],
    [undefined, 'none'],
  ])('%s is %s', (route, dialect) => {
    expect(dialectOf(route)).toBe(dialect);
  });
});

/**
 * Requests answered and their durations, by route pattern, dialect and status: counted in plain
 * numbers on every request and turned into Prometheus series only when scraped. prom-client's own
 * counter and histogram hash their label set on every observation, which costs more than the
 * rest of this work; the exposition (series, bucket labels, `_sum` and `_count`) is the same.
 */
import type { Registry } from 'prom-client';

interface Series {
  labels: { route: string; dialect: string; status: string };
  count: number;
  sum: number;
  /** Observations at or below each bucket's upper bound, not yet cumulative. */
  buckets: Float64Array;
}

interface Value {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

export class HttpMetrics {
  /** Series by route (undefined for unmatched paths) and status. */
  private readonly series = new Map<string | undefined, Map<number, Series>>();

  constructor(
    private readonly bounds: readonly number[],
    private readonly dialectOf: (route: string | undefined) => string,
  ) {}

  observe(route: string | undefined, status: number, seconds: number): void {
    let byStatus = this.series.get(route);
    if (!byStatus) {
      byStatus = new Map();
      this.series.set(route, byStatus);
    }
    let s = byStatus.get(status);
    if (!s) {
      // Unknown paths are one series, not one per path a scanner tries.
      const labels = { route: route ?? 'unmatched', dialect: this.dialectOf(route), status: String(status) };
      s = { labels, count: 0, sum: 0, buckets: new Float64Array(this.bounds.length) };
      byStatus.set(status, s);
    }
    s.count++;
    s.sum += seconds;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]!) {
        s.buckets[i]!++;
        break;
      }
    }
  }

  /** Registers the request counter and the duration histogram with `registry`. */
  register(
    registry: Registry,
    names: { requests: string; duration: string },
    help: { requests: string; duration: string },
  ): void {
    const all = () => [...this.series.values()].flatMap((m) => [...m.values()]);
    registry.registerMetric({
      name: names.requests,
      help: help.requests,
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({
        name: names.requests,
        help: help.requests,
        type: 'counter',
        aggregator: 'sum',
        values: all().map((s): Value => ({ labels: s.labels, value: s.count })),
      }),
      reset: () => this.series.clear(),
    } as never);
    registry.registerMetric({
      name: names.duration,
      help: help.duration,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        name: names.duration,
        help: help.duration,
        type: 'histogram',
        aggregator: 'sum',
        values: all().flatMap((s) => this.histogramValues(names.duration, s)),
      }),
      reset: () => this.series.clear(),
    } as never);
  }

  private histogramValues(name: string, s: Series): Value[] {
    const values: Value[] = [];
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += s.buckets[i]!;
      values.push({
        labels: { le: this.bounds[i]!, ...s.labels },
        value: cumulative,
        metricName: `${name}_bucket`,
      });
    }
    values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: `${name}_bucket` });
    values.push({ labels: s.labels, value: s.sum, metricName: `${name}_sum` });
    values.push({ labels: s.labels, value: s.count, metricName: `${name}_count` });
    return values;
  }
}

/**
 * `/metrics` in the Prometheus text format (prom-client). Requests are labelled by route pattern,
 * dialect and status; the dialect is the route's first path segment (`/api/v1` is `native`,
 * `/api/v1/admin` `admin`), so a
 * dialect mounted at its own prefix is measured without registering anything. Queue depth, job
 * age and the database pool are read when Prometheus scrapes.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { withDeadline } from '../lib/deadline.js';
import { HttpMetrics } from './http-metrics.js';

/** How long a scrape waits for the job counts. */
const SCRAPE_DEADLINE_MS = 2000;

/**
 * The dialect of a route, from its prefix: `/cladfy/v1/...` is cladfy, `/api/v1/...` native, and
 * `/api/v1/admin/...` (the console's API, for admin keys) admin.
 */
export function dialectOf(route: string | undefined): string {
  if (!route) return 'none';
  const parts = route.split('/');
  const first = parts[1] ?? '';
  if (first === 'api') return parts[3] === 'admin' ? 'admin' : 'native';
  // Operational routes (/healthz, /metrics, /docs) belong to no dialect.
  if (parts.length < 3 || first === 'docs') return 'none';
  return /^[a-z][a-z0-9_-]*$/.test(first) ? first : 'none';
}

export function routeOf(req: FastifyRequest): string | undefined {
  return req.routeOptions.url;
}

const metricsPlugin: FastifyPluginAsync = async (app) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'credence_process_' });
  const http = new HttpMetrics(
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    dialectOf,
  );
  http.register(
    registry,
    { requests: 'credence_http_requests_total', duration: 'credence_http_request_duration_seconds' },
    {
      requests: 'HTTP requests answered, by route pattern, dialect and status code',
      duration: 'Time to answer an HTTP request, by route pattern, dialect and status code',
    },
  );
  const scores = new Counter({
    name: 'credence_scores_total',
    help: 'Scores computed and kept, by service and dialect',
    labelNames: ['service', 'dialect'],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'credence_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome (delivered, retry, failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const jobsFinished = new Counter({
    name: 'credence_jobs_finished_total',
    help: 'Job runs of this process by job name and outcome (completed, retry, failed, withdrawn, released)',
    labelNames: ['name', 'outcome'],
    registers: [registry],
  });
  const jobSeconds = new Histogram({
    name: 'credence_job_run_seconds',
    help: 'How long a job run of this process took, by job name',
    labelNames: ['name'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const ctx = app.ctx;
  ctx.scoring.onScored = (service, dialect) => scores.inc({ service, dialect });
  ctx.webhooks.onAttempt = (outcome) => webhooks.inc({ outcome });
  ctx.queue.onFinished = (name, outcome, seconds) => {
    jobsFinished.inc({ name, outcome });
    jobSeconds.observe({ name }, seconds);
  };

  // Read before the jobs gauge below queues its query on the pool: a scrape would otherwise
  // always see its own query waiting.
  const pool = ctx.database.pool;
  new Gauge({
    name: 'credence_db_pool_connections',
    help: 'Database pool connections by state (total, idle, waiting clients); SQLite has one connection',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      if (pool) {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      } else {
        this.set({ state: 'total' }, 1);
      }
    },
  });

  // Both job gauges come from one query per scrape: prom-client collects every metric at once.
  let jobStats: ReturnType<typeof ctx.queue.stats> | undefined;
  const stats = () => {
    // A database that does not answer leaves the job gauges empty rather than the scrape hanging.
    jobStats ??= withDeadline(ctx.queue.stats(), SCRAPE_DEADLINE_MS, 'the job counts')
      .catch(() => [])
      .finally(() => {
        jobStats = undefined;
      });
    return jobStats;
  };
  new Gauge({
    name: 'credence_jobs',
    help: 'Jobs by name and state (queued, running), across every worker of the database',
    labelNames: ['name', 'state'],
    registers: [registry],
    async collect() {
      const all = await stats();
      this.reset();
      for (const s of all) {
        this.set({ name: s.name, state: 'queued' }, s.queued);
        this.set({ name: s.name, state: 'running' }, s.running);
      }
    },
  });
  new Gauge({
    name: 'credence_job_oldest_due_seconds',
    help: 'How long the longest-waiting due job of each name has waited',
    labelNames: ['name'],
    registers: [registry],
    async collect() {
      const all = await stats();
      this.reset();
      for (const s of all) this.set({ name: s.name }, s.oldestDueSeconds);
    },
  });
  app.addHook('onResponse', (req, reply, done) => {
    http.observe(routeOf(req), reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
};

export const metrics = fp(metricsPlugin, { name: 'credence-metrics' });

/**
 * Operations on the real app: /metrics in the Prometheus format, one log line per request with
 * its request id, tenant and dialect; and `credence worker`'s own /metrics, /healthz and /readyz.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/api/logger-options.js';
import { buildApp } from '../../src/app.js';
import { createContext } from '../../src/context.js';
import { SMS_RETENTION_JOB } from '../../src/services/device/device-sync.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/databases.js';
import { startWorker } from '../helpers/processes.js';

for (const engine of ENGINES) {
  describe(`operations on ${engine}`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(engine);
    });
    afterAll(async () => db?.drop());

    it('counts requests by route, dialect and status, scores by service, and logs each request once', async () => {
      const lines: Record<string, unknown>[] = [];
      const stream = new Writable({
        write(chunk, _enc, cb) {
          lines.push(JSON.parse(chunk.toString()));
          cb();
        },
      });
      const app = await buildApp(db.config, {
        logger: { ...(loggerOptions(db.config) as object), level: 'info', stream } as never,
      });
      try {
        const tenant = await app.ctx.tenants.create('ops');
        const { key } = await app.ctx.apiKeys.create({ tenant: 'ops' });
        const res = await app.inject({
          method: 'POST',
          url: '/cladfy/v1/demographic_score/',
          headers: { 'x-api-key': key, 'x-request-id': 'req-ops-1' },
          payload: { client_id: 'c-1', phone_number: '+254712345678', age: 30, gender: 'female' },
        });
        expect(res.statusCode).toBeLessThan(500);
        await app.inject({ method: 'GET', url: '/no/such/path' });
        app.ctx.queue.register('ops.check', async () => {});
        await app.ctx.queue.enqueue('ops.check', {});
        await app.ctx.queue.drain(10_000);
        const metrics = await app.inject({ method: 'GET', url: '/metrics' });
        expect(metrics.statusCode).toBe(200);
        expect(metrics.headers['content-type']).toContain('text/plain');
        const text = metrics.body;
        expect(text).toMatch(
          new RegExp(
            `credence_http_requests_total\\{route="/cladfy/v1/demographic_score/",dialect="cladfy",status="${res.statusCode}"\\} 1`,
          ),
        );
        expect(text).toMatch(
          /credence_http_requests_total\{route="unmatched",dialect="none",status="404"\} 1/,
        );
        expect(text).toContain(
          'credence_http_request_duration_seconds_bucket{le="0.001",route="/cladfy/v1/demographic_score/"',
        );
        if (res.statusCode === 200)
          expect(text).toMatch(/credence_scores_total\{service="demographic_score",dialect="cladfy"\} 1/);
        expect(text).toContain('credence_db_pool_connections{state="total"}');
        // Nothing else runs: the scrape's own query of the job counts is not counted as waiting.
        if (engine === 'postgres') expect(text).toContain('credence_db_pool_connections{state="waiting"} 0');
        expect(text).toContain('# TYPE credence_jobs gauge');
        expect(text).toContain('# TYPE credence_webhook_attempts_total counter');
        expect(text).toContain('credence_jobs_finished_total{name="ops.check",outcome="completed"} 1');
        expect(text).toContain('credence_job_run_seconds_count{name="ops.check"} 1');
        // A job no worker takes: counted as queued, and how long it has waited is given too.
        await app.ctx.queue.enqueue('ops.untaken', {});
        const later = (await app.inject({ method: 'GET', url: '/metrics' })).body;
        expect(later).toContain('credence_jobs{name="ops.untaken",state="queued"} 1');
        expect(later).toMatch(
          /\ncredence_job_oldest_due_seconds\{name="ops\.untaken"\} \d+(\.\d+)?(e-\d+)?\n/,
        );

        await new Promise((r) => setImmediate(r));
        const logged = lines.filter((l) => l.msg === 'request completed' && l.request_id === 'req-ops-1');
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatchObject({ tenant: tenant.id, dialect: 'cladfy', status: res.statusCode });
        expect(JSON.stringify(lines)).not.toContain('+254712345678');
        expect(JSON.stringify(lines)).not.toContain(key);
      } finally {
        await app.close();
      }
    });

    it("serves the worker's own /metrics, /healthz and /readyz on CREDENCE_WORKER_PORT", async () => {
      const worker = await startWorker({ ...db.env, CREDENCE_WORKER_PORT: '0' });
      try {
        expect(worker.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(worker.url).not.toMatch(/:0$/);
        for (const path of ['/healthz', '/readyz']) {
          const res = await fetch(`${worker.url}${path}`);
          expect(res.status).toBe(200);
          expect(await res.json()).toEqual({ status: 'ok' });
        }
        // A job the worker runs is counted there, by name and outcome.
        const ctx = await createContext(db.config);
        try {
          await ctx.queue.enqueue(SMS_RETENTION_JOB, {});
        } finally {
          await ctx.close();
        }
        const finished = `credence_jobs_finished_total{name="${SMS_RETENTION_JOB}",outcome="completed"} 1`;
        let text = '';
        for (let i = 0; i < 200 && !text.includes(finished); i++) {
          if (i > 0) await new Promise((r) => setTimeout(r, 50));
          const res = await fetch(`${worker.url}/metrics`);
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toContain('text/plain');
          text = await res.text();
        }
        expect(text).toContain(finished);
        expect(text).toContain('# TYPE credence_jobs gauge');
        expect(text).toContain('credence_process_process_cpu_seconds_total');
        // Nothing of the API is served there.
        const api = await fetch(`${worker.url}/cladfy/v1/demographic_score/`, { method: 'POST' });
        expect(api.status).toBe(404);
        expect(api.headers.get('content-type')).toContain('application/problem+json');
      } finally {
        expect(await worker.stop()).toBe(0);
      }
    });

    it('serves no HTTP from the worker without CREDENCE_WORKER_PORT', async () => {
      const worker = await startWorker({ ...db.env });
      try {
        expect(worker.url).toBe('');
      } finally {
        expect(await worker.stop()).toBe(0);
      }
    });
  });
}

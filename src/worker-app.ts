/**
 * What `credence worker` serves over HTTP when CREDENCE_WORKER_PORT is set: `/metrics` (the job
 * runs, webhook attempts and scores of this process, the shared queue gauges, the database pool and
 * the process), `/healthz` and `/readyz`, as the API server serves them. Nothing else: every other
 * path is a problem+json 404.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import './api/fastify-types.js';
import { healthRoutes } from './api/health.js';
import { metrics } from './api/metrics.js';
import { answerWithProblems } from './api/problem-handlers.js';
import { requestIdFor } from './api/request-id.js';
import type { AppContext } from './context.js';

export async function buildWorkerApp(ctx: AppContext, logger: FastifyBaseLogger): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    genReqId: requestIdFor,
    // Scrapes and probes come every few seconds: they are not logged.
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    return503OnClosing: false,
  });
  app.decorate('ctx', ctx);
  app.decorateRequest('principal', null);
  answerWithProblems(app);
  await app.register(metrics);
  await app.register(healthRoutes);
  return app;
}

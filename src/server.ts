/** Runs the HTTP server until SIGINT or SIGTERM, then closes it gracefully. */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type Config, hostUrl } from './config.js';
import { beginGracePeriod } from './jobs/grace-period.js';
import { listenProblem } from './listen-problem.js';

export async function startServer(
  config: Config,
  options: { startWorkers?: boolean } = {},
): Promise<FastifyInstance> {
  // A long-lived server copies the WAL into the database file from a thread of its own.
  const app = await buildApp(config, { ...options, checkpointThread: true });
  // The database is migrated and readable now: a setting every CAMARA call depends on is checked
  // here, so that a wrong one stops the start instead of failing each request.
  try {
    const check = (await app.ctx.telco.accessTokens.checkAtStart?.()) ?? {};
    if (check.warning) app.log.warn(check.warning);
    await warnOfRefusedModels(app);
  } catch (err) {
    await app.close();
    throw err;
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const graceMs = config.shutdownGraceMs;
    beginGracePeriod(
      app.ctx.queue,
      graceMs,
      () => {
        app.log.warn({ graceMs }, 'closing the connections of requests unfinished after the grace period');
        app.server.closeAllConnections();
      },
      app.log,
    );
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  const limits = app.ctx.rateLimits;
  app.log.info(
    { store: limits.kind, failMode: limits.failMode },
    limits.kind === 'redis'
      ? `rate limits are shared through Redis; while Redis is unreachable they fail ${limits.failMode} (CREDENCE_RATE_LIMIT_FAIL)`
      : 'rate limits are counted in memory, per process (set CREDENCE_REDIS_URL to share them between replicas)',
  );
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    throw listenProblem(err, config) ?? err;
  }
  // On a free port, the public URL (the OpenID Connect issuer) is the port the system chose; it is
  // set before any request is read, and every reader takes it from the configuration when needed.
  if (app.ctx.config.publicUrlAtListen)
    app.ctx.config.publicUrl = hostUrl(config.host, (app.server.address() as AddressInfo).port);
  app.log.info(
    {
      database: config.database.engine,
      queue: config.queueBackend,
      workers: options.startWorkers !== false,
      url,
    },
    `Credence is listening on ${url} (OpenAPI at ${url}/docs)`,
  );
  return app;
}

/**
 * Names each active model that today's validation refuses (stored by an older release), so the
 * operator sees it before a request answers 500: activating another model, or uploading a fixed
 * version and activating it, sets it right (docs/model-format.md#versions-and-activation).
 */
export async function warnOfRefusedModels(app: FastifyInstance): Promise<void> {
  for (const { role, error } of await app.ctx.models.refusedActiveModels())
    app.log.warn(
      {
        tenantId: error.tenantId ?? '*',
        service: error.service,
        modelId: error.modelId,
        version: error.version,
        role,
        validation: error.validation,
      },
      `the ${role} model ${error.modelId} (${error.service} version ${error.version}) of ${error.tenantId === null ? 'the starter default' : `tenant ${error.tenantId}`} fails today's validation: ${role === 'champion' ? 'its scoring requests answer 500' : 'it scores nothing in shadow'} until another model is activated`,
    );
}

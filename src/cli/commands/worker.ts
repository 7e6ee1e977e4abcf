import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loggerOptions } from '../../api/logger-options.js';
import { ConfigError, loadConfig } from '../../config.js';
import { beginGracePeriod } from '../../jobs/grace-period.js';

/**
 * `credence worker`: the background jobs (scoring, webhook deliveries) without the HTTP API, for
 * deployments that scale the two apart. On SIGTERM or SIGINT it stops taking jobs, lets the
 * running ones finish for a grace period and releases the rest to the other workers. With
 * CREDENCE_WORKER_PORT set it also serves /metrics, /healthz and /readyz on that port.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run the background job workers only (no HTTP API); see docs/deployment.md')
    .action(async () => {
      let config: ReturnType<typeof loadConfig>;
      try {
        config = loadConfig(process.env);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        process.stderr.write(`${err.message}\n`);
        process.exit(2);
      }
      // Masked as the server's own lines are (src/api/log-redaction.ts).
      const logger = pino(loggerOptions(config) as pino.LoggerOptions);
      try {
        const { createContext } = await import('../../context.js');
        const ctx = await createContext(config, { logger, checkpointThread: true });
        // /metrics, /healthz and /readyz, when the operator gave the worker a port.
        let http: FastifyInstance | undefined;
        let url: string | undefined;
        if (config.workerPort !== undefined) {
          const { buildWorkerApp } = await import('../../worker-app.js');
          http = await buildWorkerApp(ctx, logger);
          try {
            url = await http.listen({ host: config.host, port: config.workerPort });
          } catch (err) {
            await ctx.close();
            const { listenProblem } = await import('../../listen-problem.js');
            throw (
              listenProblem(err, { host: config.host, port: config.workerPort }, 'CREDENCE_WORKER_PORT') ??
              err
            );
          }
        }
        let closing = false;
        const shutdown = (signal: string) => {
          if (closing) return;
          closing = true;
          logger.info({ signal }, 'shutting down: finishing running jobs');
          beginGracePeriod(
            ctx.queue,
            config.shutdownGraceMs,
            () => http?.server.closeAllConnections(),
            logger,
          );
          (http ? http.close() : Promise.resolve())
            .then(() => ctx.close())
            .then(
              () => process.exit(0),
              (err) => {
                logger.error({ err }, 'error while shutting down');
                process.exit(1);
              },
            );
        };
        process.once('SIGINT', () => shutdown('SIGINT'));
        process.once('SIGTERM', () => shutdown('SIGTERM'));
        ctx.queue.start();
        logger.info(
          { database: config.database.engine, queue: config.queueBackend, ...(url ? { url } : {}) },
          'Credence worker started',
        );
      } catch (err) {
        // A setting found wrong only once the database is open is still a bad setting.
        if (err instanceof ConfigError) {
          process.stderr.write(`${err.message}\n`);
          process.exit(2);
        }
        process.stderr.write(`credence: could not start the worker: ${(err as Error).message}\n`);
        process.exit(1);
      }
    });
}

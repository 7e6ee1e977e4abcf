/**
 * `buildApp(config)` assembles the HTTP service without listening, so tests drive it with
 * `app.inject()` and `serve` decides where it listens.
 */
import './api/fastify-types.js';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { cladfyDialect } from './api/compat/cladfy/plugin.js';
import { friendlyScoreDialect } from './api/compat/friendlyscore/plugin.js';
import { tdDialect } from './api/compat/td/plugin.js';
import { docsRoutes } from './api/docs.js';
import { healthRoutes } from './api/health.js';
import { classifyError } from './api/http-errors.js';
import { nativeApi } from './api/native/plugin.js';
import { sendProblem } from './api/native/problem.js';
import { redactUrl, requestIdFor } from './api/request-id.js';
import { lazyChildLogger } from './api/request-logger.js';
import { validatorCompiler } from './api/validation.js';
import type { Config } from './config.js';
import { type ContextOptions, createContext } from './context.js';
import { CredenceError } from './domain/errors.js';

export const BODY_LIMIT = 1024 * 1024;

export interface BuildOptions extends Omit<ContextOptions, 'logger'> {
  /** Fastify logger options; defaults to pino at the configured level. */
  logger?: FastifyServerOptions['logger'];
  /** Run the job worker in this process (default true). */
  startWorkers?: boolean;
}

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: {
      paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '***',
    },
    serializers: {
      // Query strings can carry credentials and identifiers: log their keys, never their values.
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
        id: req.id,
      }),
    },
  };
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config),
    bodyLimit: BODY_LIMIT,
    genReqId: requestIdFor,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    routerOptions: { ignoreTrailingSlash: true },
    childLoggerFactory: lazyChildLogger,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ctx = await createContext(config, { ...options, logger: app.log });
  app.decorate('ctx', ctx);
  app.decorateRequest('principal', null);
  app.setValidatorCompiler(validatorCompiler);
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  app.addHook('onClose', async () => {
    await ctx.close();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Credence',
        version: '0.1.0',
        description:
          'Credit scoring on alternative data. The native API lives under /api/v1; vendor-compatible dialects under their own prefixes.',
      },
      components: {
        securitySchemes: {
          cladfyApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          bearerApiKey: { type: 'http', scheme: 'bearer', description: 'A Credence API key' },
          friendlyScoreBearer: {
            type: 'oauth2',
            flows: { clientCredentials: { tokenUrl: '/friendlyscore/oauth/v2/token', scopes: {} } },
          },
          tdPartnerCode: { type: 'apiKey', in: 'query', name: 'partner_code' },
          tdPartnerKey: { type: 'apiKey', in: 'query', name: 'partner_key' },
        },
      },
      security: [],
    },
  });

  // Errors outside any dialect (unknown paths, bad JSON on the root routes) use problem+json.
  app.setErrorHandler((error, req, reply) => {
    const c = classifyError(error);
    if (c.internal) req.log.error({ err: error }, 'request failed');
    return sendProblem(req, reply, c);
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(
      req,
      reply,
      classifyError(
        new CredenceError('CREDENCE_ROUTE_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`),
      ),
    ),
  );

  await app.register(healthRoutes);
  await app.register(docsRoutes);
  await app.register(nativeApi, { prefix: '/api/v1' });
  await app.register(cladfyDialect, { prefix: '/cladfy/v1' });
  await app.register(friendlyScoreDialect, { prefix: '/friendlyscore' });
  if (options.startWorkers !== false) app.addHook('onReady', async () => ctx.queue.start());
  await app.register(tdDialect, { prefix: '/td' });
  return app;
}

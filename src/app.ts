/**
 * `buildApp(config)` assembles the HTTP service without listening, so tests drive it with
 * `app.inject()` and `serve` decides where it listens.
 */
import { ignoreBodiesOfUnknownPaths } from './api/unknown-path-body.js';
import './api/fastify-types.js';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { Logger } from 'pino';
import { adminApi } from './api/admin/plugin.js';
import { camaraDialect } from './api/compat/camara/plugin.js';
import { cladfyDialect } from './api/compat/cladfy/plugin.js';
import { finboxDialect } from './api/compat/finbox/plugin.js';
import { friendlyScoreDialect } from './api/compat/friendlyscore/plugin.js';
import { tdDialect } from './api/compat/td/plugin.js';
import { consoleRoutes } from './api/console.js';
import { decodeCompressedBodies } from './api/content-encoding.js';
import { deviceSyncApi } from './api/device/plugin.js';
import { docsRoutes } from './api/docs.js';
import { noLengthOnEmptyHeads } from './api/head-routes.js';
import { healthRoutes } from './api/health.js';
import { useJsonBodyParser } from './api/json-body.js';
import { loggerOptions } from './api/logger-options.js';
import { readablePath } from './api/malformed-path.js';
import { dialectOf, metrics } from './api/metrics.js';
import { nativeApi } from './api/native/plugin.js';
import { refuseNulInParameters } from './api/nul-in-parameters.js';
import { oidcProvider } from './api/oidc/plugin.js';
import { documentRoute } from './api/openapi-transform.js';
import { refuseNonUtf8Query } from './api/percent-encoding.js';
import { answerWithProblems } from './api/problem-handlers.js';
import { redactUrl, requestIdFor } from './api/request-id.js';
import { lazyChildLogger } from './api/request-logger.js';
import { validatorCompiler } from './api/validation.js';
import type { Config } from './config.js';
import { type ContextOptions, createContext } from './context.js';

export const BODY_LIMIT = 1024 * 1024;

export interface BuildOptions extends Omit<ContextOptions, 'logger'> {
  /** Fastify logger options; defaults to pino at the configured level. */
  logger?: FastifyServerOptions['logger'];
  /** Run the job worker in this process (default true). */
  startWorkers?: boolean;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config),
    bodyLimit: BODY_LIMIT,
    genReqId: requestIdFor,
    // One line per request, written when it is answered (below), instead of Fastify's two.
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    // Path parameters carry ids a client chose (FriendlyScore partner ids are up to 255
    // characters, percent-encoded up to three times that); Fastify's default allows 100. Over
    // the limit the router answers 414 in a body of its own, in no dialect's vocabulary, so the
    // limit is Node's own for the whole request head (16 KiB): a longer id reaches its route and
    // is refused there like any other unknown or invalid id.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16 * 1024 },
    // A path that cannot be decoded is an unknown path of its dialect, not the router's raw 400.
    rewriteUrl: (req) => readablePath(req.url ?? '/'),
    childLoggerFactory: lazyChildLogger,
    // A request that arrives on a connection whose request is in flight while the server closes is
    // answered as usual, with \`Connection: close\`: Fastify's own 503 body is in none of the
    // dialects' vocabularies, and the database stays open until every connection has ended. Idle
    // kept-alive connections are closed at once (docs/deployment.md#operations).
    return503OnClosing: false,
    // Behind a reverse proxy (CREDENCE_TRUST_PROXY), a caller's address is the one it forwarded:
    // key IP allowlists and logs see the client, not the proxy.
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ctx = await createContext(config, { ...options, logger: app.log });
  app.decorate('ctx', ctx);
  app.decorateRequest('principal', null);
  app.setValidatorCompiler(validatorCompiler);
  useJsonBodyParser(app);
  ignoreBodiesOfUnknownPaths(app);
  decodeCompressedBodies(app);
  refuseNulInParameters(app);
  refuseNonUtf8Query(app);
  noLengthOnEmptyHeads(app);
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    // A path whose percent-encoding spells no UTF-8 text was read with its `%` signs as themselves
    // (readablePath): it names nothing, so a route with parameters must not take it for the id
    // `%E9`, which is sent as `%25E9`. Its dialect answers it as a path it does not serve.
    if (req.url !== req.originalUrl && req.routeOptions.url?.includes(':')) {
      reply.callNotFound();
      return;
    }
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    // Redacting the URL is work on every request: do it only when the line is written.
    if ((req.log as Partial<Pick<Logger, 'isLevelEnabled'>>).isLevelEnabled?.('info') === false)
      return done();
    const route = req.routeOptions.url;
    req.log.info(
      {
        tenant: req.principal?.tenantId ?? null,
        dialect: dialectOf(route),
        method: req.method,
        route: route ?? null,
        url: redactUrl(req.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
    done();
  });
  app.addHook('onClose', async () => {
    await ctx.close();
  });

  await app.register(swagger, {
    transform: documentRoute,
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
          apiKeyHeader: {
            type: 'apiKey',
            in: 'header',
            name: 'X-API-Key',
            description: 'A Credence API key',
          },
          bearerAdminKey: {
            type: 'http',
            scheme: 'bearer',
            description: "The operator's admin key (crd_ak_...)",
          },
          adminKeyHeader: {
            type: 'apiKey',
            in: 'header',
            name: 'X-API-Key',
            description: "The operator's admin key (crd_ak_...)",
          },
          oauthClientBasic: {
            type: 'http',
            scheme: 'basic',
            description:
              "An OAuth client's id and secret (client_secret_basic); the form's client_secret or client_assertion does instead.",
          },
          friendlyScoreBearer: {
            type: 'oauth2',
            flows: { clientCredentials: { tokenUrl: '/friendlyscore/oauth/v2/token', scopes: {} } },
          },
          tdPartnerCode: { type: 'apiKey', in: 'query', name: 'partner_code' },
          tdPartnerKey: { type: 'apiKey', in: 'query', name: 'partner_key' },
          finboxApiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          camaraOpenId: { type: 'openIdConnect', openIdConnectUrl: '/.well-known/openid-configuration' },
        },
      },
      security: [],
    },
  });

  // Errors outside any dialect (unknown paths, bad JSON on the root routes) use problem+json.
  answerWithProblems(app);

  await app.register(metrics);
  await app.register(healthRoutes);
  await app.register(docsRoutes);
  await app.register(nativeApi, { prefix: '/api/v1' });
  await app.register(cladfyDialect, { prefix: '/cladfy/v1' });
  await app.register(friendlyScoreDialect, { prefix: '/friendlyscore' });
  if (options.startWorkers !== false) app.addHook('onReady', async () => ctx.queue.start());
  await app.register(tdDialect, { prefix: '/td' });
  await app.register(deviceSyncApi, { prefix: '/api/v1' });
  await app.register(finboxDialect, { prefix: '/finbox' });
  await app.register(oidcProvider);
  await app.register(camaraDialect, { prefix: '/customer-insights' });
  await app.register(adminApi, { prefix: '/api/v1/admin' });
  await app.register(consoleRoutes);
  return app;
}

/**
 * The Cladfy dialect at /cladfy/v1: X-API-Key authentication and Cladfy's error vocabulary,
 * `{"error": "..."}` with 400, 401, 403, 404, 413 or 500 (docs/cladfy.md).
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { enforceRouteScopes, headerValue, registerKeyRateLimit, requireApiKey } from '../../auth-hooks.js';
import { type ClassifiedError, classifyError, routeNotFound } from '../../http-errors.js';
import { parseAnyContentTypeAsJson } from '../../lenient-json.js';
import { cladfyRoutes } from './routes.js';

// Cladfy documents these statuses; everything else a client did wrong is a 400. 429 is Credence's
// own: a key's rate limit (its `Retry-After` says when to try again), which Cladfy does not have.
const KEPT_STATUSES = new Set([400, 401, 403, 404, 413, 429]);

function send(reply: FastifyReply, c: ClassifiedError): FastifyReply {
  const status = KEPT_STATUSES.has(c.status) ? c.status : c.status < 500 ? 400 : 500;
  return reply.code(status).send({ error: c.message, ...(c.field !== undefined ? { field: c.field } : {}) });
}

export const cladfyDialect: FastifyPluginAsync = async (app) => {
  // Bodies are read as JSON whatever the Content-Type says: `curl -d` sends form encoding by default.
  parseAnyContentTypeAsJson(app);

  app.setErrorHandler((error, req, reply) => {
    const c = classifyError(error);
    if (c.internal) req.log.error({ err: error }, 'request failed');
    return send(reply, c);
  });
  app.setNotFoundHandler((req, reply) => send(reply, classifyError(routeNotFound(req))));

  requireApiKey(app, (req) => headerValue(req, 'x-api-key'));
  // Each scoring route's service scope, before the body (client_data's depends on its query).
  enforceRouteScopes(app);
  await registerKeyRateLimit(app, 'cladfy');
  await app.register(cladfyRoutes);
};

/**
 * Credence's own REST API under /api/v1: API-key authentication (Bearer or X-API-Key), scopes,
 * Idempotency-Key on POST, and RFC 9457 problem+json for every error.
 */
import type { FastifyPluginAsync } from 'fastify';
import {
  bearerToken,
  enforceRouteScopes,
  headerValue,
  registerKeyRateLimit,
  requireApiKey,
} from '../auth-hooks.js';
import { answerWithProblems } from '../problem-handlers.js';
import { notAcceptable } from './accept.js';
import { applicationRoutes } from './applications.routes.js';
import { compositeScoreRoutes } from './composite-score.routes.js';
import { dataRoutes } from './data.routes.js';
import { deviceScoreRoutes } from './device-score.routes.js';
import { registerIdempotency } from './idempotency.js';
import { modelRoutes } from './models.routes.js';
import { outcomeRoutes } from './outcomes.routes.js';
import { API_KEY_SECURITY, documentProblems } from './problem.js';
import { subjectRoutes } from './subjects.routes.js';
import { telcoRoutes } from './telco.routes.js';
import { webhookRoutes } from './webhooks.routes.js';

export const nativeApi: FastifyPluginAsync = async (app) => {
  // JSON only: anything else is a 415 rather than a string handed to a handler.
  app.removeContentTypeParser('text/plain');
  documentProblems(app, {
    rateLimited: true,
    idempotent: true,
    negotiated: true,
    security: API_KEY_SECURITY,
  });
  answerWithProblems(app);
  // Before the key, as on CAMARA: whoever asks, the answer could not be read. A path no route
  // serves is a 404 whatever the Accept.
  app.addHook('onRequest', (req, _reply, done) => done(req.is404 ? undefined : notAcceptable(req)));
  requireApiKey(app, (req) => bearerToken(req) ?? headerValue(req, 'x-api-key'));
  enforceRouteScopes(app);
  await registerKeyRateLimit(app, 'native');
  registerIdempotency(app);
  await app.register(modelRoutes);
  await app.register(subjectRoutes);
  await app.register(outcomeRoutes);
  await app.register(webhookRoutes);
  await app.register(applicationRoutes);
  await app.register(deviceScoreRoutes);
  await app.register(telcoRoutes);
  await app.register(dataRoutes);
  await app.register(compositeScoreRoutes);
};

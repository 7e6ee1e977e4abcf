/**
 * The answers outside any dialect: an unknown path, and an error no route handled (bad JSON on a
 * root route, an internal fault), as RFC 9457 problem+json. Internal faults are logged, never sent.
 */
import type { FastifyInstance } from 'fastify';
import { CredenceError } from '../domain/errors.js';
import { classifyError } from './http-errors.js';
import { sendProblem } from './native/problem.js';

export function answerWithProblems(app: FastifyInstance): void {
  app.setErrorHandler((error, req, reply) => {
    const c = classifyError(error, req.routeOptions.bodyLimit);
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
}

/**
 * The problem+json (RFC 9457) answers of the native API and of everything outside the dialects: an
 * error no route handled (bad JSON, a failed check, an internal fault) and an unknown path.
 * Internal faults are logged, never sent.
 */
import type { FastifyInstance } from 'fastify';
import { classifyError, routeNotFound } from './http-errors.js';
import { sendProblem } from './native/problem.js';

/** Errors as problem+json. */
export function answerErrorsWithProblems(app: FastifyInstance): void {
  app.setErrorHandler((error, req, reply) => {
    const c = classifyError(error, req.routeOptions.bodyLimit);
    if (c.internal) req.log.error({ err: error }, 'request failed');
    return sendProblem(req, reply, c);
  });
}

/** Errors, and paths no route serves, as problem+json. */
export function answerWithProblems(app: FastifyInstance): void {
  answerErrorsWithProblems(app);
  app.setNotFoundHandler((req, reply) => sendProblem(req, reply, classifyError(routeNotFound(req))));
}

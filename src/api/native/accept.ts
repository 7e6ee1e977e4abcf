/**
 * The native API answers in `application/json`, and its errors in `application/problem+json`
 * (RFC 9457): a request whose `Accept` admits neither is refused with a 406 (RFC 9110 §15.5.7),
 * as CAMARA's routes are.
 */
import type { FastifyRequest } from 'fastify';
import { CredenceError } from '../../domain/errors.js';
import { admitsAny } from '../accept.js';

/** What the native API sends, charset and all, so that `application/json;charset=utf-8` matches. */
const ANSWERED = ['application/json; charset=utf-8', 'application/problem+json; charset=utf-8'];

/** The 406 for a request whose Accept admits nothing the native API sends; undefined otherwise. */
export function notAcceptable(req: FastifyRequest): CredenceError | undefined {
  if (admitsAny(req.headers.accept, ANSWERED)) return undefined;
  return new CredenceError(
    'CREDENCE_NOT_ACCEPTABLE',
    'this API answers in application/json, and its errors in application/problem+json: the Accept header admits neither',
  );
}

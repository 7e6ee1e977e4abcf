/**
 * The native API answers in `application/json`, and its errors in `application/problem+json`
 * (RFC 9457): a request whose `Accept` admits neither is refused with a 406 (RFC 9110 §15.5.7),
 * as CAMARA's routes are. `negotiator` reads the header by RFC 9110 §12.5.1: wildcards, lists,
 * and q-values, where q=0 means "not acceptable" and the most specific range decides.
 */
import type { FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { CredenceError } from '../../domain/errors.js';

/** What the native API sends, charset and all, so that `application/json;charset=utf-8` matches. */
const ANSWERED = ['application/json; charset=utf-8', 'application/problem+json; charset=utf-8'];

/** The 406 for a request whose Accept admits nothing the native API sends; undefined otherwise. */
export function notAcceptable(req: FastifyRequest): CredenceError | undefined {
  const accept = req.headers.accept;
  // No Accept, or an empty one, accepts anything (RFC 9110 §12.5.1), as on CAMARA.
  if (accept === undefined || accept.trim() === '') return undefined;
  if (new Negotiator({ headers: { accept } }).mediaTypes(ANSWERED).length > 0) return undefined;
  return new CredenceError(
    'CREDENCE_NOT_ACCEPTABLE',
    'this API answers in application/json, and its errors in application/problem+json: the Accept header admits neither',
  );
}

/**
 * The request headers every CAMARA response depends on: `x-correlator`, echoed on every response
 * when it matches its pattern (and a 400 when it does not), and `Accept`, which must allow
 * `application/json` (406 otherwise, CAMARA_common.yaml Generic406).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CredenceError, invalidInput } from '../../../domain/errors.js';
import { admitsAny } from '../../accept.js';

/** CAMARA_common.yaml XCorrelator. */
export const X_CORRELATOR = /^[a-zA-Z0-9-_:;./<>{}]{0,256}$/;

export function echoCorrelator(req: FastifyRequest, reply: FastifyReply): void {
  const given = req.headers['x-correlator'];
  if (given === undefined) return;
  const value = Array.isArray(given) ? given : [given];
  // An invalid value is not echoed: it could not be a valid response header of the spec either.
  if (value.length !== 1 || !X_CORRELATOR.test(value[0]!))
    throw invalidInput('x-correlator', `x-correlator must match ${X_CORRELATOR.source}`);
  reply.header('x-correlator', value[0]!);
}

/** What CAMARA answers in, charset and all, so that `application/json;charset=utf-8` matches. */
const ANSWERED = ['application/json; charset=utf-8'];

export function requireJsonAccepted(req: FastifyRequest): void {
  if (!admitsAny(req.headers.accept, ANSWERED))
    throw new CredenceError('CREDENCE_NOT_ACCEPTABLE', 'this API answers in application/json only');
}

/**
 * The request headers every CAMARA response depends on: `x-correlator`, echoed on every response
 * when it matches its pattern (and a 400 when it does not), and `Accept`, which must allow
 * `application/json` (406 otherwise, CAMARA_common.yaml Generic406).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CredenceError, invalidInput } from '../../../domain/errors.js';

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

/** How specifically a media range names application/json: 0 when it does not. */
const SPECIFICITY: Record<string, number> = { 'application/json': 3, 'application/*': 2, '*/*': 1 };

/**
 * Whether an Accept header allows application/json. The most specific range that matches decides
 * (RFC 9110 §12.5.1): `application/json;q=0` refuses it whatever wildcard is also accepted.
 */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  let best = 0;
  let weight = 0;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const specificity = SPECIFICITY[type ?? ''] ?? 0;
    if (specificity <= best) continue;
    const q = params.find((p) => p.startsWith('q='));
    best = specificity;
    weight = q === undefined ? 1 : Number(q.slice(2));
  }
  return weight > 0;
}

export function requireJsonAccepted(req: FastifyRequest): void {
  if (!acceptsJson(req.headers.accept))
    throw new CredenceError('CREDENCE_NOT_ACCEPTABLE', 'this API answers in application/json only');
}

/**
 * The TD credit-indicator dialect at /td: `partner_code` and `partner_key` in the query string,
 * JSON bodies whatever the Content-Type, and TD's vocabulary for every outcome:
 * `{"code", "sequence_id", "message"}` with HTTP 200 for business errors (docs/td.md). Every call
 * gets a unique 32-hex-digit `sequence_id` and is recorded, successful or not.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { CredenceError } from '../../../domain/errors.js';
import { timeOrderedHex } from '../../../lib/ids.js';
import type { MeteredRequest } from '../../../services/partner-call-service.js';
import type { PartnerPrincipal } from '../../../services/principal.js';
import { classifyError, routeNotFound } from '../../http-errors.js';
import { parseAnyContentTypeAsJson } from '../../lenient-json.js';
import { requestLabels } from './request.js';
import { failureBody, tdFailure } from './responses.js';
import { tdRoutes } from './routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** TD: the call's sequence id, made when the request arrives. */
    sequenceId: string;
    /** TD: the authenticated partner. */
    partner?: PartnerPrincipal;
    /** TD: the request once it passed its checks. */
    indicatorRequest?: MeteredRequest;
  }
}

/**
 * 32 hex digits, like the seed's `53b63090c0374cad82********f8991e`; time-ordered, so the record
 * of every call is appended to its table rather than written at a random page.
 */
const newSequenceId = () => timeOrderedHex();

const first = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

async function fail(
  app: Parameters<FastifyPluginAsync>[0],
  error: unknown,
  req: FastifyRequest,
  reply: FastifyReply,
) {
  if (!req.sequenceId) req.sequenceId = newSequenceId();
  const c = classifyError(error);
  if (c.internal) req.log.error({ err: error }, 'request failed');
  const f = tdFailure(c);
  const labels = req.indicatorRequest
    ? { country: req.indicatorRequest.country, package: req.indicatorRequest.package }
    : requestLabels(req.body);
  try {
    await app.ctx.partnerCalls.recordFailure({
      sequenceId: req.sequenceId,
      partnerId: req.partner?.partnerId ?? null,
      country: labels.country,
      package: labels.package,
      code: f.code,
      message: f.message,
      requestId: req.id,
    });
  } catch (err) {
    req.log.error({ err }, 'could not record a failed call');
  }
  return reply.code(f.http).type('application/json; charset=utf-8').send(failureBody(f, req.sequenceId));
}

export const tdDialect: FastifyPluginAsync = async (app) => {
  // "Other parameters are ignored" (docs/td.md#request): `__proto__` too, dropped as it is read so
  // that it reaches no prototype, rather than refused as an unreadable body.
  parseAnyContentTypeAsJson(app, { emptyBody: 'object', prototypeKeys: 'drop' });
  app.decorateRequest('sequenceId', '');

  app.setErrorHandler((error, req, reply) => fail(app, error, req, reply));
  app.setNotFoundHandler((req, reply) => fail(app, routeNotFound(req), req, reply));

  app.addHook('onRequest', async (req) => {
    req.sequenceId = newSequenceId();
    // No such path or method: 404 "url error" whatever the credentials (docs/td.md#response-codes).
    if (req.is404) return;
    const query = req.query as Record<string, unknown>;
    const check = await app.ctx.partnerAuth.check(first(query.partner_code), first(query.partner_key));
    if (!check.ok) {
      throw check.reason === 'missing'
        ? new CredenceError('CREDENCE_UNAUTHENTICATED', `${check.field} is missing`, {
            field: check.field,
            missing: true,
          })
        : new CredenceError('CREDENCE_UNAUTHENTICATED', 'partner credentials are invalid');
    }
    req.partner = check.partner;
    req.principal = check.partner;
  });

  await app.register(tdRoutes);
};

/** RFC 9457 problem details, the native API's error format. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOG } from '../../domain/errors.js';
import { bearerToken, headerValue } from '../auth-hooks.js';
import type { ClassifiedError } from '../http-errors.js';
import { sentPath } from '../malformed-path.js';

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'A link to the documentation of this error code.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    code: Type.String({ description: 'Stable machine-readable code, e.g. CREDENCE_NOT_FOUND.' }),
    request_id: Type.String(),
    field: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

/** The error responses most native routes document: bad input, no or wrong key, scope, not found. */
export const PROBLEM_RESPONSES = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
} as const;

/** Why each error status is answered, as the OpenAPI document says it. */
const PROBLEM_STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input or malformed JSON; `field` names the offending part.',
  401: 'The key is missing, unknown or revoked.',
  403: 'The key may not call this route: a scope it lacks, an address outside its allowlist, or a tenant key on the admin API.',
  404: 'No such resource for this tenant.',
  406: 'The `Accept` header admits neither `application/json` nor `application/problem+json`.',
  409: 'A request with this Idempotency-Key is still running, or the request conflicts with what is stored (the route says how).',
  413: 'The body is larger than the limit.',
  415: 'The body is not JSON.',
  422: 'The request is well-formed but cannot be carried out, or its Idempotency-Key was used with another request.',
  429: 'Too many requests for this key; retry after the `Retry-After` header.',
  500: 'An internal error; the request can be retried.',
  503: 'The database is unreachable or no model is active.',
};

/**
 * Documents every error status a route of the native or admin API can answer, each as RFC 9457
 * problem details under `application/problem+json` (the media type sent). Routes declare the
 * errors of their own; the ones that every route shares come from here: authentication, rate
 * limits, the Accept header's 406 where it is checked, internal errors, and on POST the body
 * limits and the Idempotency-Key's refusals. Routes that name no security get the API's.
 */
export function documentProblems(
  app: FastifyInstance,
  shared: {
    rateLimited: boolean;
    idempotent: boolean;
    negotiated?: boolean;
    security: SecurityRequirement[];
  },
): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as
      | { hide?: boolean; response?: Record<string, unknown>; security?: SecurityRequirement[] }
      | undefined;
    if (!schema || schema.hide) return;
    const methods = [route.method].flat();
    const withBody = methods.some((m) => m === 'POST' || m === 'PUT' || m === 'PATCH');
    const statuses = [400, 401, 403, 500, 503];
    if (shared.negotiated) statuses.push(406);
    if (shared.rateLimited) statuses.push(429);
    if (withBody) statuses.push(413, 415);
    if (shared.idempotent && methods.includes('POST')) statuses.push(409, 422);
    const response: Record<string, unknown> = { ...schema.response };
    for (const s of statuses) response[s] ??= ProblemSchema;
    for (const [status, value] of Object.entries(response))
      if (value === ProblemSchema)
        response[status] = {
          description: PROBLEM_STATUS_TEXT[Number(status)] ?? ProblemSchema.description,
          content: { 'application/problem+json': { schema: ProblemSchema } },
        };
    route.schema = { ...route.schema, response, security: schema.security ?? shared.security };
    // The Idempotency-Key header is read by a hook, not validated by the route: documented only.
    if (shared.idempotent && methods.includes('POST'))
      route.config = { ...route.config, idempotencyKey: true };
  });
}

/** An OpenAPI security requirement: the schemes (of the document's components) that together authenticate. */
export type SecurityRequirement = Record<string, string[]>;

/** A Credence key as a Bearer token or in X-API-Key, as the native API and the device sync take it. */
export const API_KEY_SECURITY: SecurityRequirement[] = [{ bearerApiKey: [] }, { apiKeyHeader: [] }];

export function sendProblem(req: FastifyRequest, reply: FastifyReply, c: ClassifiedError): FastifyReply {
  const errors = c.details?.errors;
  // RFC 9110 §15.5.2: a 401 names the scheme that would do; RFC 6750 §3 adds `invalid_token` when
  // a credential was sent and refused.
  if (c.status === 401)
    reply.header(
      'www-authenticate',
      (bearerToken(req) ?? headerValue(req, 'x-api-key') ?? '').trim() !== ''
        ? 'Bearer realm="credence", error="invalid_token"'
        : 'Bearer realm="credence"',
    );
  return reply
    .code(c.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `/docs/errors#${c.code.toLowerCase()}`,
        title: ERROR_CATALOG[c.code].title,
        status: c.status,
        detail: c.message,
        instance: sentPath(req),
        code: c.code,
        request_id: req.id,
        ...(c.field !== undefined ? { field: c.field } : {}),
        ...(Array.isArray(errors) ? { errors } : {}),
      }),
    );
}

/** RFC 9457 problem details, the native API's error format. */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOG } from '../../domain/errors.js';
import type { ClassifiedError } from '../http-errors.js';

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

export function sendProblem(req: FastifyRequest, reply: FastifyReply, c: ClassifiedError): FastifyReply {
  const errors = c.details?.errors;
  return reply
    .code(c.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `/docs/errors#${c.code.toLowerCase()}`,
        title: ERROR_CATALOG[c.code].title,
        status: c.status,
        detail: c.message,
        instance: req.url.split('?')[0],
        code: c.code,
        request_id: req.id,
        ...(c.field !== undefined ? { field: c.field } : {}),
        ...(Array.isArray(errors) ? { errors } : {}),
      }),
    );
}

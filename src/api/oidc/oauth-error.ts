/**
 * The OAuth 2.0 error vocabulary of the provider's endpoints (RFC 6749 §5.2, CIBA Core §13):
 * `{"error", "error_description"}`, 401 with `WWW-Authenticate` for a client that tried HTTP Basic.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ScopeNotAllowedError } from '../../auth/oauth-tokens.js';
import { isCredenceError } from '../../domain/errors.js';
import { CibaError } from '../../services/telco/ciba.js';
import { type ClassifiedError, classifyError } from '../http-errors.js';

const FORM = 'application/x-www-form-urlencoded';

export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

export const OAuthErrorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, error_description: { type: 'string' } },
  required: ['error', 'error_description'],
} as const;

/**
 * What the provider's POST endpoints document besides their own answers: the form as the only
 * body, the client's authentication (HTTP Basic, or the form's client_secret or
 * client_assertion, hence the empty alternative), and the errors every such request can get.
 */
export const OAUTH_POST = {
  consumes: [FORM],
  security: [{ oauthClientBasic: [] }, {}] as Record<string, string[]>[],
  errors: {
    400: OAuthErrorSchema,
    401: OAuthErrorSchema,
    413: { ...OAuthErrorSchema, description: 'The body is larger than 1 MiB.' },
    415: {
      ...OAuthErrorSchema,
      description: `The body is not ${FORM}, or its Content-Encoding is not supported.`,
    },
    500: { ...OAuthErrorSchema, description: 'server_error: an internal error; the request can be retried.' },
  },
};

export function sendOAuthError(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  let e: OAuthError;
  if (error instanceof OAuthError) e = error;
  else if (error instanceof CibaError) e = new OAuthError(error.status, error.error, error.description);
  else if (error instanceof ScopeNotAllowedError) e = new OAuthError(400, 'invalid_scope', error.message);
  else {
    const c = classifyError(error);
    if (c.internal) req.log.error({ err: error }, 'OAuth request failed');
    e = inOAuthWords(c, error, req);
  }
  for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
  return reply
    .code(e.status)
    .header('cache-control', 'no-store')
    .send({ error: e.error, error_description: e.description });
}

/** Any other refusal, or fault, in this vocabulary. */
function inOAuthWords(c: ClassifiedError, error: unknown, req: FastifyRequest): OAuthError {
  if (c.status >= 500)
    return new OAuthError(500, 'server_error', 'The server could not answer; try again later');
  // Our own 415 is a Content-Encoding it cannot read, and says so; the framework's, a Content-Type.
  if (c.status === 415)
    return new OAuthError(
      415,
      'invalid_request',
      isCredenceError(error) ? c.message : `Content-Type must be ${FORM}`,
    );
  if (c.status === 413) return new OAuthError(413, 'invalid_request', c.message);
  // Our own refusals (a parameter given twice) say what was wrong; a missing body does not.
  const noForm = req.body == null && !isCredenceError(error);
  return new OAuthError(
    400,
    'invalid_request',
    noForm ? `the parameters must be sent as an ${FORM} body` : c.message,
  );
}

/**
 * FriendlyScore's error vocabulary (docs/friendlyscore.md#errors). The seed shows three shapes:
 * `{"code": 401, "message": "Unauthorized"}` (the framework's), `{"result": "error", "message":
 * "Bad parameters provided - ...", "user_id": ...}` (calculate_score's parameter errors, with
 * 404), and the white-label proxy's wrapping of the latter for a missing IP address. The token
 * endpoint answers per RFC 6749 §5.2.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClassifiedError } from '../../http-errors.js';

/** An answer with an exact body, thrown by handlers and hooks and sent as it is. */
export class FriendlyScoreResponse extends Error {
  override name = 'FriendlyScoreResponse';
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : String(body.error ?? status));
  }
}

const KEPT = new Set([400, 401, 403, 404, 413, 415, 500, 503]);
const GENERIC: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Access Denied',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * `{"code": N, "message": "..."}`, the shape of the seed's 401. A 400 is a bad parameter, said with
 * the words calculate_score uses for them ("Bad parameters provided - ...").
 */
export function frameworkError(c: ClassifiedError): {
  status: number;
  body: { code: number; message: string };
} {
  const status = KEPT.has(c.status) ? c.status : c.status < 500 ? 400 : 500;
  const message =
    status >= 500
      ? (GENERIC[status] ?? 'Internal Server Error')
      : status === 400
        ? `${BAD_PARAMETERS}${c.message}`
        : c.message;
  return { status, body: { code: status, message } };
}

const BAD_PARAMETERS = 'Bad parameters provided - ';

export function sendError(reply: FastifyReply, err: FriendlyScoreResponse): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.code(err.status).send(err.body);
}

/** calculate_score's parameter errors (seed: "Response if access tokens ... are not provided"). */
export const badParameters = (detail: string, userId: string) =>
  new FriendlyScoreResponse(404, {
    result: 'error',
    message: `${BAD_PARAMETERS}${detail}`,
    user_id: userId,
  });

export const EMPTY_ACCESS_TOKENS =
  'access_tokens parameter is empty. It needs to contain at least one field: facebook, linkedin, google, paypal, twitter_user_id, twitter_screen_name, instagram.';

/**
 * The seed's answer when the IP address is missing: the original white-label proxy passed on the
 * API's 404 wrapped in its HTTP client's message. Reproduced with this request's own URL.
 */
export function missingIpAddress(req: FastifyRequest, userId: string): FriendlyScoreResponse {
  const inner = JSON.stringify({
    result: 'error',
    message: 'Bad parameters provided - IP Address is mandatory!',
    user_id: userId,
  });
  const host = req.headers.host ?? 'localhost';
  const path = req.url.split('?')[0];
  return new FriendlyScoreResponse(404, {
    error: `Client error: \`${req.method} ${req.protocol}://${host}${path}\` resulted in a \`404 Not Found\` response:${inner}`,
  });
}

export const userNotFoundResponse = () =>
  new FriendlyScoreResponse(404, { code: 404, message: 'User not found' });

/** The headers of the OAuth server's errors: the challenge (RFC 6750 §3) and no caching. */
export function oauthErrorHeaders(error: string, description: string): Record<string, string> {
  return {
    'www-authenticate': `Bearer realm="Service", error="${error}", error_description="${description}"`,
    'cache-control': 'no-store',
    pragma: 'no-cache',
  };
}

/** Missing token: the seed's body. An invalid or expired one: the OAuth server's (RFC 6750 §3). */
export function unauthorized(reason: 'missing' | 'invalid' | 'expired'): FriendlyScoreResponse {
  if (reason === 'missing') {
    return new FriendlyScoreResponse(
      401,
      { code: 401, message: 'Unauthorized' },
      { 'www-authenticate': 'Bearer realm="Service"' },
    );
  }
  const description =
    reason === 'expired' ? 'The access token provided has expired.' : 'The access token provided is invalid.';
  return new FriendlyScoreResponse(
    401,
    { error: 'invalid_grant', error_description: description },
    oauthErrorHeaders('invalid_grant', description),
  );
}

/** RFC 6749 §5.2 error from the token endpoint. */
export const oauthError = (
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
) =>
  new FriendlyScoreResponse(
    status,
    { error, error_description: description },
    { 'cache-control': 'no-store', pragma: 'no-cache', ...headers },
  );

/**
 * Where a request's access token is found, as FriendlyScore's OAuth server found it: the PHP
 * library bshaffer/oauth2-server-php (`OAuth2\TokenType\Bearer::getAccessTokenParameter`) takes it
 * from `Authorization: Bearer` (RFC 6750 §2.1), the `access_token` field of a form body (§2.2) or
 * the `access_token` query parameter (§2.3), one of them only, and answers its mistakes in its own
 * words.
 *
 * A token in the header or the query string is checked at once, before the body is read. Without
 * one, the body is read first (within the body limit) and the token looked for there; a request
 * with a token nowhere is refused as it was before bodies were read, whatever its body held.
 */
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../../auth-hooks.js';
import { mediaTypeOf } from './body-parser.js';
import { FriendlyScoreResponse, unauthorized } from './errors.js';

const FIELD = 'access_token';

const invalidRequest = (description: string) =>
  new FriendlyScoreResponse(400, { error: 'invalid_request', error_description: description });

const ONE_METHOD = () =>
  invalidRequest('Only one method may be used to authenticate at a time (Auth header, GET or POST).');

/**
 * What is known of a request's token before its body is read: given in the header or query
 * string, or still to be looked for in the body. A request in neither is not in the map.
 */
const before = new WeakMap<FastifyRequest, 'given' | 'in body'>();

/**
 * The token of the header or of the query string, to be checked at once; or `'in body'` when
 * neither has one and the request has a body to look in, read next.
 */
export function tokenBeforeBody(req: FastifyRequest): { token: string | undefined } | 'in body' {
  const header = bearerToken(req);
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.[FIELD];
  if (header !== undefined && fromQuery !== undefined) throw ONE_METHOD();
  if (header !== undefined || fromQuery !== undefined) {
    before.set(req, 'given');
    return { token: header ?? (typeof fromQuery === 'string' ? fromQuery : undefined) };
  }
  if (!hasBody(req)) return { token: undefined };
  before.set(req, 'in body');
  return 'in body';
}

/**
 * Whether Fastify will read a body for the request: not for GET or HEAD, nor for a request that
 * announces none (no Content-Type, no length or a length of 0, no chunks).
 */
function hasBody(req: FastifyRequest): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  const h = req.headers;
  return (
    h['content-type'] !== undefined ||
    h['transfer-encoding'] !== undefined ||
    (h['content-length'] !== undefined && h['content-length'] !== '0')
  );
}

/**
 * Whether the request's token is still looked for in a body not yet read. Whatever stops the body
 * from being read (too large, malformed, of a type not read) then answers as a missing token.
 */
export const awaitingBodyToken = (req: FastifyRequest) => before.get(req) === 'in body';

/**
 * Reads the body's fields with `read` and takes the token out of them, so that no route sees it as
 * one of its fields nor stores it. Returns the fields and the body's token, if the token is to be
 * checked now. In the library's order: one method only, then (for a token given) POST or PUT, then
 * a form body.
 */
export async function takeBodyToken(
  req: FastifyRequest,
  read: () => Promise<unknown>,
): Promise<{ fields: unknown; token?: string }> {
  const state = before.get(req);
  before.delete(req);
  if (state === undefined) return { fields: await read() };
  let fields: unknown;
  try {
    fields = await read();
  } catch (err) {
    if (state === 'in body') throw unauthorized('missing');
    throw err;
  }
  const body = fields !== null && typeof fields === 'object' ? (fields as Record<string, unknown>) : {};
  const token = body[FIELD];
  // The library counts a field that is there, even empty; JSON's null is a field not given.
  const present = token !== undefined && token !== null;
  if (state === 'given') {
    if (present) throw ONE_METHOD();
    return { fields };
  }
  if (!present || token === '') throw unauthorized('missing');
  if (req.method !== 'POST' && req.method !== 'PUT')
    throw invalidRequest('When putting the token in the body, the method must be POST or PUT');
  if (mediaTypeOf(req.headers['content-type']) !== 'application/x-www-form-urlencoded')
    throw invalidRequest('The content type for POST requests must be "application/x-www-form-urlencoded"');
  // A list or a map (`access_token[]=`) is no token.
  if (typeof token !== 'string') throw unauthorized('invalid');
  delete body[FIELD];
  return { fields, token };
}

/**
 * The exact answer an error has, if any: one thrown as such, or a missing token for a request
 * whose body, where its token was looked for, could not be read (too large, say).
 */
export function exactAnswer(error: unknown, req: FastifyRequest): FriendlyScoreResponse | undefined {
  if (error instanceof FriendlyScoreResponse) return error;
  return awaitingBodyToken(req) ? unauthorized('missing') : undefined;
}

/**
 * Where a request's access token is found, as FriendlyScore's OAuth server found it. FriendlyScore
 * is a Symfony application whose tokens are checked by FOSOAuthServerBundle, that is by the PHP
 * library friendsofsymfony/oauth2-php (`OAuth2::getBearerToken`, its error texts are the ones
 * FriendlyScore answers with): the token is taken from an `Authorization` header that holds
 * `Bearer`, one white-space character and the token (RFC 6750 §2.1); from the `access_token`
 * field of an `application/x-www-form-urlencoded` body of any method but GET (§2.2); and from a
 * non-empty `access_token` query parameter (§2.3). More than one is a 400. A body of another type,
 * or a header in another form, holds no token: without one elsewhere the request is a 401.
 *
 * A token in the header or the query string is checked at once, before the body is read, unless a
 * form body may hold one too: the library gathers the tokens of every method before it checks one,
 * so the body is read first and two tokens are the 400 whether or not the header's is good. Without
 * a token in the header or query, a form body is read first (within the body limit) and the token
 * looked for there; a request with a token nowhere is refused as it was before bodies were read,
 * whatever its body held.
 */
import type { FastifyRequest } from 'fastify';
import { headerValue } from '../../auth-hooks.js';
import { FriendlyScoreResponse, oauthErrorHeaders, unauthorized } from './errors.js';

const FIELD = 'access_token';
/** The library's test of the header, unanchored and case-sensitive as it is. */
const HEADER_TOKEN = /Bearer\s(\S+)/;
/** The library's test of a form body's Content-Type, on the whole header. */
const FORM_BODY = /^application\/x-www-form-urlencoded([\s|;].*)?$/;

const invalidRequest = (description: string) =>
  new FriendlyScoreResponse(
    400,
    { error: 'invalid_request', error_description: description },
    oauthErrorHeaders('invalid_request', description),
  );

const ONE_METHOD = () =>
  invalidRequest('Only one method may be used to authenticate at a time (Auth header, GET or POST).');

/** A token field that is there but empty: the library's words for a token not given. */
const EMPTY_TOKEN = () =>
  invalidRequest(
    'The request is missing a required parameter, includes an unsupported parameter or parameter value, repeats the same parameter, uses more than one method for including an access token, or is otherwise malformed.',
  );

/** Checks a token and, when it is good, lets the request through as its client. */
export type TokenCheck = (token: string | undefined) => Promise<void>;

/**
 * What is known of a request's token before its form body is read: `given` in the header or query
 * string (checked once the body shows none), or undefined, still to be looked for in the body; and
 * how to check it. A request whose body holds no token is not in the map.
 */
const before = new WeakMap<FastifyRequest, { given: string | undefined; check: TokenCheck }>();

function headerToken(req: FastifyRequest): string | undefined {
  const header = headerValue(req, 'authorization');
  return header === undefined ? undefined : HEADER_TOKEN.exec(header)?.[1];
}

/** The query string's token; an empty one, or `0`, is none (PHP's truth), and the last one counts. */
function queryToken(req: FastifyRequest): string | undefined {
  const raw = (req.query as Record<string, unknown> | undefined)?.[FIELD];
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return typeof value === 'string' && value !== '' && value !== '0' ? value : undefined;
}

/** Whether the request's body may hold a token: a form, read for a method other than GET. */
function bodyMayHoldToken(req: FastifyRequest): boolean {
  return req.method !== 'GET' && hasBody(req) && FORM_BODY.test(req.headers['content-type'] ?? '');
}

/**
 * Checks the token of the header or of the query string with `check` at once; or, when the request
 * has a form body that may hold one too, leaves it to be checked once that body is read
 * (takeBodyToken), or once it is known that it will not be (settleTokenFirst, preValidation).
 */
export async function checkTokenBeforeBody(req: FastifyRequest, check: TokenCheck): Promise<void> {
  const header = headerToken(req);
  const query = queryToken(req);
  if (header !== undefined && query !== undefined) throw ONE_METHOD();
  const given = header ?? query;
  if (bodyMayHoldToken(req)) before.set(req, { given, check });
  else await check(given);
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
 * For a request whose token waited for its body, when the body was not read (none came, or it was
 * refused: too large, malformed): checks the token of the header or query string now, or answers a
 * token looked for in the body as missing. Returns the error to answer with instead of `error`, if
 * any. A request whose token did not wait gets `error` back.
 */
export async function settleTokenFirst(req: FastifyRequest, error?: unknown): Promise<unknown> {
  const pending = before.get(req);
  before.delete(req);
  if (pending === undefined || error instanceof FriendlyScoreResponse) return error;
  if (pending.given === undefined) return unauthorized('missing');
  try {
    await pending.check(pending.given);
  } catch (err) {
    return err;
  }
  return error;
}

/**
 * Reads the body's fields with `read` and takes the token out of them, so that no route sees it as
 * one of its fields nor stores it, whatever the body. Returns the fields and the body's token, if
 * the token is to be checked now: in the library's order, one method only, then the token itself.
 */
export async function takeBodyToken(req: FastifyRequest, read: () => Promise<unknown>): Promise<unknown> {
  let fields: unknown;
  try {
    fields = await read();
  } catch (err) {
    // The given token is checked first: a body that cannot be read is answered only to its holder.
    throw await settleTokenFirst(req, err);
  }
  const state = before.get(req);
  before.delete(req);
  const body = fields !== null && typeof fields === 'object' ? (fields as Record<string, unknown>) : {};
  // The library counts a field that is there, even empty.
  const present = Object.hasOwn(body, FIELD);
  const token = body[FIELD];
  delete body[FIELD];
  if (state === undefined) return fields;
  if (state.given !== undefined) {
    if (present) throw ONE_METHOD();
    await state.check(state.given);
    return fields;
  }
  if (!present) throw unauthorized('missing');
  if (token === '') throw EMPTY_TOKEN();
  // A list or a map (`access_token[]=`) is no token.
  if (typeof token !== 'string') throw unauthorized('invalid');
  await state.check(token);
  return fields;
}

/**
 * The exact answer an error has, if any: one thrown as such, the token's own answer for a request
 * whose token waited for a body that was not read (settleTokenFirst), or undefined.
 */
export async function exactAnswer(
  error: unknown,
  req: FastifyRequest,
): Promise<FriendlyScoreResponse | undefined> {
  const settled = await settleTokenFirst(req, error);
  return settled instanceof FriendlyScoreResponse ? settled : undefined;
}

/**
 * How the dialect reads request bodies. FriendlyScore's white-label API was PHP (Symfony), which
 * reads `application/x-www-form-urlencoded` and `multipart/form-data` alike into the request's
 * fields, PHP's bracket notation (`access_tokens[google]=`) included; its clients also post JSON.
 * A body without a Content-Type (or `text/plain`) is read as JSON when it looks like an object,
 * else as form fields. An empty body is no fields. Any other type is refused with 415.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import qs from 'qs';
import { CredenceError } from '../../../domain/errors.js';
import { parseJsonBody, utf8Text } from '../../json-body.js';
import { nonUtf8Message, percentDecoded } from '../../percent-encoding.js';

/**
 * One name or value of a form or query string, percent-decoded as PHP's `urldecode` does (`+` is a
 * space, an escape that is not two hex digits stays as it is), and refused when the bytes it spells
 * are not UTF-8: stored, `caf%E9` would be neither the text sent nor `%E9` itself, and a partner id
 * `%E9` would meet the one sent as `%25E9`.
 */
function decodeComponent(text: string): string {
  const plain = text.replaceAll('+', ' ');
  if (!plain.includes('%')) return plain;
  const bytes = percentDecoded(plain);
  if (!isUtf8(bytes)) throw new CredenceError('CREDENCE_INVALID_INPUT', nonUtf8Message(plain));
  return bytes.toString('utf8');
}

/** A plain field given twice keeps its last value, as PHP's `$_POST` does (`a[]=` is still a list). */
const FORM_LIMITS = {
  depth: 3,
  parameterLimit: 200,
  allowPrototypes: false,
  arrayLimit: 50,
  duplicates: 'last',
  decoder: decodeComponent,
} as const;

/** Form fields, or a query string's parameters, as PHP reads them into `$_POST` and `$_GET`. */
export const phpFields = (text: string) => qs.parse(text, FORM_LIMITS);

/**
 * multipart/form-data: its text fields, read as the same form fields (through qs, so the bracket
 * notation and the limits are the urlencoded ones). Files are not fields, as in PHP's
 * `$request->request`, and are left out.
 */
async function multipart(body: Buffer, contentType: string): Promise<unknown> {
  let data: FormData;
  // FormData reads a field's bytes as UTF-8 and puts U+FFFD for any that are not, so a Latin-1 "é"
  // would be kept mangled. It is handed each byte as a character instead (Latin-1 to UTF-8: the
  // boundaries, being ASCII, are unchanged), so that a field's own bytes can be had back and
  // checked as a urlencoded form's are.
  const bytewise = Buffer.from(body.toString('latin1'), 'utf8');
  try {
    data = await new Response(bytewise, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new CredenceError('CREDENCE_INVALID_INPUT', 'request body is not valid multipart/form-data');
  }
  const fields = new URLSearchParams();
  for (const [name, value] of data)
    if (typeof value === 'string') fields.append(fieldText(name), fieldText(value));
  return phpFields(fields.toString());
}

/** A multipart field's name or value from its bytes (one character each): UTF-8 text, or refused. */
const fieldText = (bytewise: string): string => utf8Text(Buffer.from(bytewise, 'latin1'), 'a form');

const sniff = (text: string) => (text.trimStart().startsWith('{') ? parseJsonBody(text) : phpFields(text));

export async function parseFriendlyScoreBody(
  contentType: string | undefined,
  body: Buffer,
): Promise<unknown> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const json = type === 'application/json' || type.endsWith('+json');
  const plain = type === '' || type === 'text/plain';
  const urlencoded = type === 'application/x-www-form-urlencoded';
  // Only what is read as text must be UTF-8: a multipart body carries files, bytes of any kind
  // (FormData reads its fields as UTF-8), and another type is refused. Latin-1 reads every byte as
  // one character, enough to see that such a body is blank.
  const text =
    json || plain || urlencoded ? utf8Text(body, json ? 'JSON' : 'a form') : body.toString('latin1');
  if (text.trim() === '') return {};
  if (plain) return sniff(text);
  if (json) return parseJsonBody(text);
  if (urlencoded) return phpFields(text);
  if (type === 'multipart/form-data') return multipart(body, contentType!);
  throw new CredenceError(
    'CREDENCE_UNSUPPORTED_MEDIA_TYPE',
    `Content-Type ${type} is not supported; send application/json, application/x-www-form-urlencoded or multipart/form-data`,
  );
}

/** What stands between a body's fields, read by `read`, and the route (the access token's search). */
export type ThroughBody = (req: FastifyRequest, read: () => Promise<unknown>) => Promise<unknown>;

/** Puts the dialect's body reading in place of Fastify's, for every route of `app`. */
export function parseBodies(app: FastifyInstance, through: ThroughBody = (_req, read) => read()): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, async (req: FastifyRequest, body: string | Buffer) =>
    through(req, () =>
      parseFriendlyScoreBody(
        req.headers['content-type'],
        typeof body === 'string' ? Buffer.from(body) : body,
      ),
    ),
  );
}

/** The dialect's body reading, and a POST or PUT without a body read as one without fields. */
export function readBodies(app: FastifyInstance): void {
  parseBodies(app);
  // A POST or PUT without a body (and so without a Content-Type) is a body with no fields, so that
  // each route answers what is missing in its own words.
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && (req.method === 'POST' || req.method === 'PUT')) req.body = {};
  });
}

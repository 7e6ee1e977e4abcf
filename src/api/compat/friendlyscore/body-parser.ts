/**
 * How the dialect reads request bodies. FriendlyScore's white-label API was PHP (Symfony), which
 * reads `application/x-www-form-urlencoded` and `multipart/form-data` alike into the request's
 * fields, PHP's bracket notation (`access_tokens[google]=`) included; its clients also post JSON.
 * A body without a Content-Type (or `text/plain`) is read as JSON when it looks like an object,
 * else as form fields. An empty body is no fields. Any other type is refused with 415.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import qs from 'qs';
import { CredenceError } from '../../../domain/errors.js';
import { parseJsonBody, utf8Text } from '../../json-body.js';

/** A plain field given twice keeps its last value, as PHP's `$_POST` does (`a[]=` is still a list). */
const FORM_LIMITS = {
  depth: 3,
  parameterLimit: 200,
  allowPrototypes: false,
  arrayLimit: 50,
  duplicates: 'last',
} as const;

const form = (text: string) => qs.parse(text, FORM_LIMITS);

/**
 * multipart/form-data: its text fields, read as the same form fields (through qs, so the bracket
 * notation and the limits are the urlencoded ones). Files are not fields, as in PHP's
 * `$request->request`, and are left out.
 */
async function multipart(body: Buffer, contentType: string): Promise<unknown> {
  let data: FormData;
  try {
    data = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new CredenceError('CREDENCE_INVALID_INPUT', 'request body is not valid multipart/form-data');
  }
  const fields = new URLSearchParams();
  for (const [name, value] of data) if (typeof value === 'string') fields.append(name, value);
  return form(fields.toString());
}

const sniff = (text: string) => (text.trimStart().startsWith('{') ? parseJsonBody(text) : form(text));

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
  const text = json || plain || urlencoded ? utf8Text(body) : body.toString('latin1');
  if (text.trim() === '') return {};
  if (plain) return sniff(text);
  if (json) return parseJsonBody(text);
  if (urlencoded) return form(text);
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

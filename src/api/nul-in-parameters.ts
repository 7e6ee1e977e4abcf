/**
 * PostgreSQL cannot hold the NUL character in text, so a parameter holding one (`%00`) failed the
 * query that looked it up or stored it (a 500), where SQLite took it. Such a parameter, of the
 * path, the query string or a form body, is refused as invalid input naming it, as JSON bodies
 * refuse it (json-body.ts): after the credentials are checked, before the route validates its
 * input, in the words of its dialect.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidInput } from '../domain/errors.js';

export function refuseNulInParameters(app: FastifyInstance): void {
  // Synchronous: it runs for every request of every route, and nearly none holds a NUL.
  app.addHook('preValidation', (req, _reply, done) => {
    const field = parameterWithNul(req);
    if (field === undefined) return done();
    done(invalidInput(field, `${field} holds the NUL character (%00), which text may not contain`));
  });
}

/** The name of the first parameter (of the path, the query, then a form body) holding a NUL. */
function parameterWithNul(req: FastifyRequest): string | undefined {
  // The only way a URL can carry a NUL: every request passes here, and nearly none has one.
  // An unknown path is answered as one by its dialect, whatever it holds: the catch-all's `*`
  // parameter names no field and is never stored.
  if (req.is404) return undefined;
  if (req.url.includes('%00')) {
    const { '*': _rest, ...params } = (req.params ?? {}) as Record<string, unknown>;
    const field = nulIn(params) ?? nulIn(req.query);
    if (field !== undefined) return field;
  }
  // A JSON body was checked as it was read; a form body (FriendlyScore's, an OAuth token request)
  // is only now a set of fields.
  return isForm(req) ? nulIn(req.body) : undefined;
}

function isForm(req: FastifyRequest): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && !type.includes('json') && isFields(req.body);
}

const isFields = (v: unknown): v is object => v !== null && typeof v === 'object' && !Buffer.isBuffer(v);

/** The name of the first field whose name or value (or a value nested in it) holds a NUL. */
function nulIn(fields: unknown): string | undefined {
  if (!isFields(fields)) return undefined;
  for (const [name, value] of Object.entries(fields)) {
    if (name.includes('\u0000') || holdsNul(value)) return name.replaceAll('\u0000', '%00');
  }
  return undefined;
}

/** Whether `value` (text, or a list or object of them, names included) holds a NUL. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (isFields(value)) return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v));
  return false;
}

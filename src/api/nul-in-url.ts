/**
 * PostgreSQL cannot hold the NUL character in text, so a path parameter or query value holding one
 * (`%00`) failed the query that looked it up (a 500), where SQLite found nothing. Such a value is
 * refused as invalid input naming it, as JSON bodies refuse it (json-body.ts): after the
 * credentials are checked, before the route validates its input, in the words of its dialect.
 */
import type { FastifyInstance } from 'fastify';
import { invalidInput } from '../domain/errors.js';

export function refuseNulInUrl(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    // The only way a URL can carry a NUL: every request passes here, and nearly none has one.
    if (!req.url.includes('%00')) return;
    const field = nulIn(req.params) ?? nulIn(req.query);
    if (field !== undefined)
      throw invalidInput(field, `${field} holds the NUL character (%00), which text may not contain`);
  });
}

/** The name of the first parameter whose name or value holds a NUL. */
function nulIn(parameters: unknown): string | undefined {
  if (parameters === null || typeof parameters !== 'object') return undefined;
  for (const [name, value] of Object.entries(parameters)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (name.includes('\u0000') || values.some((v) => typeof v === 'string' && v.includes('\u0000')))
      return name.replaceAll('\u0000', '%00');
  }
  return undefined;
}

/**
 * A body parser for dialects whose clients send JSON under any Content-Type (`curl -d` sends a
 * form content type by default): the body is read as UTF-8 JSON whatever the header says, and
 * kept as received in `req.rawBody`.
 */
import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { CredenceError } from '../domain/errors.js';

export function parseAnyContentTypeAsJson(
  app: FastifyInstance,
  o: { emptyBody?: 'error' | 'object' } = {},
): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    req.rawBody = text;
    if (text.trim() === '') {
      if (o.emptyBody === 'object') return done(null, {});
      return done(new CredenceError('CREDENCE_INVALID_JSON', 'request body is empty'), undefined);
    }
    try {
      done(null, sjson.parse(text, { protoAction: 'error', constructorAction: 'error' }));
    } catch {
      done(new CredenceError('CREDENCE_INVALID_JSON', 'request body is not valid JSON'), undefined);
    }
  });
}

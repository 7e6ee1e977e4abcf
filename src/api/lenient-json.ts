/**
 * A body parser for dialects whose clients send JSON under any Content-Type (`curl -d` sends a
 * form content type by default): the body is read as UTF-8 JSON whatever the header says, and
 * kept as received in `req.rawBody`.
 */
import type { FastifyInstance } from 'fastify';
import { CredenceError } from '../domain/errors.js';
import { withoutBom } from '../lib/text.js';
import { type JsonBodyOptions, parseJsonBody, utf8Text } from './json-body.js';

export function parseAnyContentTypeAsJson(
  app: FastifyInstance,
  o: { emptyBody?: 'error' | 'object'; prototypeKeys?: JsonBodyOptions['prototypeKeys'] } = {},
): void {
  app.removeAllContentTypeParsers();
  // JSON by name as well as by the catch-all: Fastify remembers the parser of a named type, but
  // works the catch-all out again, parsing the header, on every request that falls to it.
  app.addContentTypeParser(['application/json', '*'], { parseAs: 'buffer' }, (req, body, done) => {
    // A byte-order mark (Notepad puts one before a saved file) is no part of the JSON: the parser
    // skips it, and the text kept must not carry it either, or reading it back would fail.
    try {
      const text = withoutBom(utf8Text(body));
      req.rawBody = text;
      if (!BLANK.test(text)) done(null, parseJsonBody(text, { prototypeKeys: o.prototypeKeys }));
      else if (o.emptyBody === 'object') done(null, {});
      else done(new CredenceError('CREDENCE_INVALID_JSON', 'request body is empty'), undefined);
    } catch (e) {
      done(e as CredenceError, undefined);
    }
  });
}

const BLANK = /^\s*$/;

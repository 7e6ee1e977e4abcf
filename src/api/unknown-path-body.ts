/**
 * A path (or method) that no route serves answers 404 whatever its body, in every dialect; so do
 * routes that only refuse a method (CAMARA's and the OpenID provider's 405s, which add
 * `leaveBodyUnread` as their own `preParsing` hook).
 *
 * Fastify reads and parses the body of such a request as it would a route's, with the parsers of
 * the dialect it falls under, so a form post, an empty or broken JSON body or one over the limit
 * answered as a bad body (400, 413 or 415 in that dialect's words) instead of its 404. Here the
 * body of such a request is left unread: the headers that announce it are dropped before Fastify
 * looks at them, so the not-found handler runs at once; Node discards the unread bytes once the
 * answer is sent, and the connection stays usable.
 */
import type { FastifyInstance, preParsingHookHandler } from 'fastify';

/** Drops the headers that announce a body, so that Fastify reads and parses none. */
export const leaveBodyUnread: preParsingHookHandler = (req, _reply, payload, done) => {
  dropBodyHeaders(req.headers);
  done(null, payload);
};

function dropBodyHeaders(headers: Record<string, unknown>): void {
  delete headers['content-type'];
  delete headers['content-length'];
  delete headers['transfer-encoding'];
}

export function ignoreBodiesOfUnknownPaths(app: FastifyInstance): void {
  // Added to the root before any plugin, so that every dialect's not-found handler inherits it.
  app.addHook('preParsing', (req, _reply, payload, done) => {
    if (req.is404) dropBodyHeaders(req.headers);
    done(null, payload);
  });
}

/**
 * Credence's OpenID Connect provider, for the API consumers of the CAMARA dialect: discovery
 * (`/.well-known/openid-configuration`), the public keys (`/oauth2/jwks`), the token endpoint
 * (`/oauth2/token`: client credentials for 2-legged tokens, the CIBA grant for 3-legged ones) and
 * the backchannel authentication endpoint (`/oauth2/bc-authorize`). Its issuer is the server's
 * public URL (CREDENCE_PUBLIC_URL); tokens are signed with the rotating keys of src/auth.
 * docs/camara.md#tokens describes it.
 */
import type { FastifyPluginAsync } from 'fastify';
import { CredenceError } from '../../domain/errors.js';
import { allowHeader } from '../allow.js';
import { nonUtf8Message, nonUtf8Parameter } from '../percent-encoding.js';
import { sweepEvery } from '../sweep.js';
import { leaveBodyUnread } from '../unknown-path-body.js';
import { bcAuthorizeRoutes } from './bc-authorize.routes.js';
import { discoveryRoutes } from './discovery.routes.js';
import { OAuthError, sendOAuthError } from './oauth-error.js';
import { tokenRoutes } from './token.routes.js';

/** A form body (application/x-www-form-urlencoded); a parameter given twice is refused (RFC 6749 §3.1). */
function parseForm(text: string): Record<string, string> {
  // URLSearchParams would read `caf%E9` (Latin-1) as `caf\uFFFD`.
  const bad = nonUtf8Parameter(text);
  if (bad) throw new CredenceError('CREDENCE_INVALID_INPUT', nonUtf8Message(bad.text));
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    if (k in out)
      throw new CredenceError('CREDENCE_INVALID_INPUT', `the parameter ${k} is given more than once`);
    out[k] = v;
  }
  return out;
}

export const oidcProvider: FastifyPluginAsync = async (app) => {
  // Form-encoded only (RFC 6749 §3.2, CIBA Core §7.1): any other body is a 415 that says so.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.setErrorHandler((error, req, reply) => sendOAuthError(error as Error, req, reply));
  // A request nobody can redeem any more is not kept: it names a subscriber and a client.
  sweepEvery(app, 60_000, 'delete expired CIBA requests', () => app.ctx.telco.ciba.purgeExpired());
  await app.register(discoveryRoutes);
  await app.register(tokenRoutes);
  await app.register(bcAuthorizeRoutes);
  // Another method on a POST endpoint: 405 with Allow, in the endpoints' own vocabulary.
  for (const url of ['/oauth2/token', '/oauth2/bc-authorize'])
    app.route({
      method: ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'],
      url,
      preParsing: leaveBodyUnread,
      schema: { hide: true },
      handler: async (req) => {
        throw new OAuthError(405, 'invalid_request', `${req.method} is not allowed here; use POST`, {
          allow: allowHeader(['POST']),
        });
      },
    });
};

/**
 * The CAMARA Customer Insights dialect at /customer-insights: versions 0.3rc1 and 0.2 side by
 * side, one engine behind both. Bearer tokens from Credence's OpenID Connect provider, or from the
 * operator's (docs/camara.md#tokens); a per-client rate limit; CAMARA's error bodies, with the
 * codes of each version, and `x-correlator` echoed on every response.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { EXTERNAL_CREDENTIAL, type TokenSubject } from '../../../auth/access-tokens.js';
import { grants, SCOPES } from '../../../auth/scopes.js';
import { CredenceError } from '../../../domain/errors.js';
import type { Principal } from '../../../services/principal.js';
import { bearerToken } from '../../auth-hooks.js';
import { classifyError } from '../../http-errors.js';
import { registerRateLimit } from '../../rate-limit.js';
import { type ApiVersion, camaraError } from './errors.js';
import { echoCorrelator, requireJsonAccepted } from './headers.js';
import { retrieveRoutes } from './routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** CAMARA: who the access token names (nobody on a 2-legged token). */
    tokenSubject: TokenSubject;
  }
  interface FastifyContextConfig {
    /** CAMARA: answered without a token (the 405 routes). */
    anonymous?: boolean;
  }
}

export const VERSIONS: readonly ApiVersion[] = ['v0.3rc1', 'v0.2'];
const NOBODY: TokenSubject = { kind: 'none' };
const BEARER = 'Bearer realm="customer-insights"';

/**
 * Whether a token may call the API. Credence's own tokens carry its scopes, where a scope covers
 * those below it (`customer-insights` covers `customer-insights:scoring:read`); the operator's
 * provider knows only CAMARA's scopes, and its tokens must carry the API's scope itself.
 */
function holdsScope(who: Principal): boolean {
  return who.credentialType === EXTERNAL_CREDENTIAL
    ? who.scopes.includes(SCOPES.customerInsightsScoring)
    : grants(who.scopes, SCOPES.customerInsightsScoring);
}

/** Renders every error in the CAMARA body of `version` (CAMARA_common.yaml ErrorInfo). */
const errorHandler = (version: ApiVersion) => (error: unknown, req: FastifyRequest, reply: FastifyReply) => {
  const c = classifyError(error);
  if (c.internal) req.log.error({ err: error }, 'request failed');
  const body = camaraError(c, version);
  if (c.code === 'CREDENCE_RATE_LIMITED' && typeof c.details?.retryAfterSeconds === 'number')
    reply.header('retry-after', String(c.details.retryAfterSeconds));
  // RFC 6750 §3: a 401 names the scheme; a token that was sent and refused is invalid_token.
  if (c.code === 'CREDENCE_UNAUTHENTICATED')
    reply.header(
      'www-authenticate',
      c.details?.reason === 'missing' ? BEARER : `${BEARER}, error="invalid_token"`,
    );
  // RFC 6750 §3.1: a token without the scope is insufficient_scope, naming the scope needed.
  if (c.code === 'CREDENCE_FORBIDDEN' && c.details?.reason === 'scope')
    reply.header(
      'www-authenticate',
      `${BEARER}, error="insufficient_scope", scope="${SCOPES.customerInsightsScoring}"`,
    );
  return reply.code(body.status).type('application/json').send(body);
};

const versionPlugin: FastifyPluginAsync<{ version: ApiVersion }> = async (app, { version }) => {
  app.setErrorHandler(errorHandler(version));
  await app.register(retrieveRoutes, { version });
};

export const camaraDialect: FastifyPluginAsync = async (app) => {
  // JSON only: anything else is a 415.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('tokenSubject', null as never);
  const verifier = app.ctx.telco.accessTokens;

  // Any path under /customer-insights that no version serves, a version we do not serve
  // included, is CAMARA's 404 (x-correlator echoed by the hook below), not the native API's.
  // Codes outside a version are those the versions share; 0.3 is the newest.
  app.setErrorHandler(errorHandler('v0.3rc1'));
  app.setNotFoundHandler(async () => {
    throw new CredenceError('CREDENCE_ROUTE_NOT_FOUND', 'no such route');
  });

  app.addHook('onRequest', async (req, reply) => {
    echoCorrelator(req, reply);
    // Unknown paths (404) and other methods (405) are answered without a token.
    if (req.is404 || req.routeOptions.config.anonymous) return;
    requireJsonAccepted(req);
    const check = await verifier.verify(bearerToken(req) ?? (req.headers.authorization ? '' : undefined));
    // Missing, invalid and expired tokens get the same answer (CAMARA Generic401).
    if (!check.ok)
      throw new CredenceError('CREDENCE_UNAUTHENTICATED', `access token ${check.reason}`, {
        reason: check.reason,
      });
    if (!holdsScope(check.principal))
      throw new CredenceError(
        'CREDENCE_FORBIDDEN',
        `the token lacks the scope ${SCOPES.customerInsightsScoring}`,
        { reason: 'scope' },
      );
    req.principal = check.principal;
    req.tokenSubject = check.subject ?? NOBODY;
  });

  await registerRateLimit(app, {
    name: 'camara',
    perSecond: app.ctx.config.camara.rateLimitPerSecond,
    key: (req) => req.principal!.credentialId,
    // Only what passed the token is counted, per client: a path no route serves (404, before any
    // token) would otherwise fill one budget shared by every anonymous caller.
    exempt: (req) => !req.principal,
  });

  for (const version of VERSIONS) await app.register(versionPlugin, { prefix: `/${version}`, version });
};

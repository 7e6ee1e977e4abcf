/**
 * `POST oauth/v2/token`: the client credentials grant (RFC 6749 §4.4). Client credentials come
 * as `client_id`/`client_secret` body parameters (form or JSON) or as HTTP Basic (§2.3.1), not
 * both; an Authorization header of another scheme is not read. Answers `{access_token, expires_in: 3600, token_type: "bearer", scope: null}` (seed);
 * errors per §5.2, with the seed's wording for bad client credentials.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ScopeNotAllowedError } from '../../../auth/oauth-tokens.js';
import { basicCredentials } from '../../auth-hooks.js';
import { classifyError } from '../../http-errors.js';
import { AUDIENCE } from './constants.js';
import { FriendlyScoreResponse, oauthError, sendError } from './errors.js';
import { FrameworkError } from './schemas.js';

const TokenRequest = Type.Object(
  {
    grant_type: Type.Optional(Type.String({ maxLength: 200 })),
    client_id: Type.Optional(Type.String({ maxLength: 200 })),
    client_secret: Type.Optional(Type.String({ maxLength: 200 })),
    scope: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: true },
);

const TokenResponse = Type.Object({
  access_token: Type.String(),
  expires_in: Type.Integer(),
  token_type: Type.Literal('bearer'),
  scope: Type.Union([Type.String(), Type.Null()]),
});
const OAuthError = Type.Object({ error: Type.String(), error_description: Type.String() });

const INVALID_CLIENT = 'The client credentials are invalid';
const BAD_GRANT = 'Invalid grant_type parameter or parameter missing';

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/oauth/v2/token',
    {
      schema: {
        tags: ['friendlyscore'],
        summary: 'Obtain an access token with the client credentials grant',
        body: TokenRequest,
        response: { 200: TokenResponse, 400: OAuthError, 401: OAuthError, 500: FrameworkError },
      },
      errorHandler: (error, req, reply) => {
        if (error instanceof FriendlyScoreResponse) return sendError(reply, error);
        const c = classifyError(error);
        if (c.internal) {
          req.log.error({ err: error }, 'token request failed');
          return reply.code(500).send({ code: 500, message: 'Internal Server Error' });
        }
        return sendError(reply, oauthError(400, 'invalid_request', c.message));
      },
    },
    async (req, reply) => {
      const body = req.body ?? {};
      // Only a Basic header holds client credentials; another scheme (a shared HTTP client's
      // stale `Bearer` token) is no attempt at them, and the body's credentials are read.
      const basic = /^Basic(?:\s|$)/i.test(req.headers.authorization ?? '')
        ? basicCredentials(req)
        : undefined;
      if (basic === null)
        throw oauthError(401, 'invalid_client', INVALID_CLIENT, {
          'www-authenticate': 'Basic realm="Service"',
        });
      if (basic && (body.client_id !== undefined || body.client_secret !== undefined)) {
        throw oauthError(
          400,
          'invalid_request',
          'Client credentials must come either as HTTP Basic or in the body, not both',
        );
      }
      if (!body.grant_type) throw oauthError(400, 'invalid_request', BAD_GRANT);
      if (body.grant_type !== 'client_credentials')
        throw oauthError(400, 'unsupported_grant_type', BAD_GRANT);

      const id = basic ? basic.id : body.client_id;
      const secret = basic ? basic.secret : body.client_secret;
      const client = id && secret ? await app.ctx.oauthClients.authenticate(id, secret) : undefined;
      if (!client) {
        if (basic)
          throw oauthError(401, 'invalid_client', INVALID_CLIENT, {
            'www-authenticate': 'Basic realm="Service"',
          });
        throw oauthError(400, 'invalid_client', INVALID_CLIENT);
      }
      if (!client.grants.includes('client_credentials')) {
        throw oauthError(400, 'unauthorized_client', 'The grant type is unauthorized for this client_id');
      }
      const requested = body.scope?.split(' ').filter(Boolean);
      try {
        const token = await app.ctx.tokens.issue(client, { audience: AUDIENCE, requested });
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        return {
          access_token: token.accessToken,
          expires_in: token.expiresIn,
          token_type: 'bearer' as const,
          scope: token.scope,
        };
      } catch (err) {
        if (err instanceof ScopeNotAllowedError)
          throw oauthError(400, 'invalid_scope', 'An unsupported scope was requested.');
        throw err;
      }
    },
  );
};

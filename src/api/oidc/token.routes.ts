/**
 * `POST /oauth2/token`: the client credentials grant (RFC 6749 §4.4), a 2-legged token bound to no
 * person, and the CIBA grant (CIBA Core §10.1), a 3-legged token whose `sub` is the subscriber
 * the backchannel request authenticated, with an ID token beside it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CIBA_GRANT } from '../../auth/oauth-grants.js';
import { authenticateClient, oauthForm, requestedScopes } from './client-auth.js';
import { OAUTH_POST, OAuthError } from './oauth-error.js';

const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
  id_token: Type.Optional(Type.String()),
});

const GRANTS = ['client_credentials', CIBA_GRANT];

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tokens = app.ctx.oidcTokens;

  app.post(
    '/oauth2/token',
    {
      schema: {
        tags: ['oidc'],
        summary: 'Obtain an access token (client credentials, or CIBA after /oauth2/bc-authorize)',
        body: oauthForm({
          grant_type: `client_credentials, or ${CIBA_GRANT} to redeem an auth_req_id.`,
          scope:
            'Space-separated scopes (client_credentials); a dpv: purpose among them is kept with each score.',
          auth_req_id: 'What /oauth2/bc-authorize returned (CIBA grant).',
        }),
        consumes: OAUTH_POST.consumes,
        security: OAUTH_POST.security,
        response: { 200: TokenResponse, ...OAUTH_POST.errors },
      },
    },
    async (req, reply) => {
      const body = req.body as Record<string, string | undefined>;
      const grant = body.grant_type;
      if (!grant) throw new OAuthError(400, 'invalid_request', 'grant_type is required');
      if (!GRANTS.includes(grant))
        throw new OAuthError(400, 'unsupported_grant_type', `grant_type must be one of ${GRANTS.join(', ')}`);
      const client = await authenticateClient(req, body, grant);
      const audience = app.ctx.config.publicUrl;
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');

      if (grant === 'client_credentials') {
        // A scope the client may not ask for is invalid_scope (sendOAuthError).
        const { api, purpose } = requestedScopes(body.scope);
        const t = await tokens.issue(client, { audience, requested: api, purpose });
        return {
          access_token: t.accessToken,
          token_type: 'Bearer' as const,
          expires_in: t.expiresIn,
          scope: t.scope ?? client.scopes.join(' '),
        };
      }

      if (!body.auth_req_id) throw new OAuthError(400, 'invalid_request', 'auth_req_id is required');
      const { subscriberId, scopes, purpose } = await app.ctx.telco.ciba.redeem(client, body.auth_req_id);
      const t = await tokens.issue(client, { audience, requested: scopes, purpose, subject: subscriberId });
      return {
        access_token: t.accessToken,
        token_type: 'Bearer' as const,
        expires_in: t.expiresIn,
        scope: t.scope ?? client.scopes.join(' '),
        id_token: await tokens.issueIdToken(client, subscriberId, { authReqId: body.auth_req_id }),
      };
    },
  );
};

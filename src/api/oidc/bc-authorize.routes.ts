/**
 * `POST /oauth2/bc-authorize` (CIBA Core §7, poll mode): the API consumer names the subscriber with
 * `login_hint=tel:+...` and asks for scopes; the answer is an `auth_req_id` to redeem at the token
 * endpoint. The operator's consent policy decides (docs/camara.md#consent).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CIBA_GRANT } from '../../auth/oauth-grants.js';
import { assertRequestable } from '../../auth/oauth-tokens.js';
import { SCOPES } from '../../auth/scopes.js';
import { authenticateClient, oauthForm, requestedScopes } from './client-auth.js';
import { OAUTH_POST, OAuthError } from './oauth-error.js';

export const bcAuthorizeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/oauth2/bc-authorize',
    {
      schema: {
        tags: ['oidc'],
        summary: 'Start a backchannel authentication of a subscriber (CIBA, poll mode)',
        body: oauthForm({
          login_hint: "tel: and the subscriber's phone number in E.164, e.g. tel:+254712345678.",
          scope:
            'Space-separated scopes, openid among them; a dpv: purpose among them is kept with each score.',
          requested_expiry:
            'Seconds, a positive integer; requests are decided at once, so it changes nothing.',
        }),
        consumes: OAUTH_POST.consumes,
        security: OAUTH_POST.security,
        response: {
          200: Type.Object({
            auth_req_id: Type.String(),
            expires_in: Type.Integer(),
            interval: Type.Integer(),
          }),
          ...OAUTH_POST.errors,
        },
      },
    },
    async (req, reply) => {
      const body = req.body as Record<string, string | undefined>;
      const client = await authenticateClient(req, body, CIBA_GRANT);
      // A signed authentication request (CIBA Core §7.1.1) carries the parameters in the JWT: read
      // past, it would be approved for what the form says instead. Not supported here, so refused in
      // the words of OpenID Connect Core §6 and the CAMARA security profile's CIBA error table.
      if (body.request !== undefined)
        throw new OAuthError(
          400,
          'request_not_supported',
          'Signed authentication requests (request) are not supported',
        );
      if (body.request_uri !== undefined)
        throw new OAuthError(400, 'request_uri_not_supported', 'request_uri is not supported');
      if (!body.scope) throw new OAuthError(400, 'invalid_request', 'scope is required');
      if (!body.login_hint) throw new OAuthError(400, 'invalid_request', 'login_hint is required (tel:+...)');
      if (body.login_hint_token !== undefined || body.id_token_hint !== undefined)
        throw new OAuthError(400, 'invalid_request', 'Only login_hint is supported to name the subscriber');
      // CIBA Core §7.1: a positive integer of seconds. Requests are decided at once here, so a valid
      // one changes nothing; a malformed one is still the client's error to hear of.
      if (body.requested_expiry !== undefined && !/^[1-9]\d{0,8}$/.test(body.requested_expiry))
        throw new OAuthError(400, 'invalid_request', 'requested_expiry must be a positive integer (seconds)');
      // CIBA Core §7.1: the scope is required and must include openid; an authentication that asks
      // for no API scope would grant nothing worth a token.
      if (!body.scope.split(' ').includes('openid'))
        throw new OAuthError(400, 'invalid_scope', 'scope must include openid (CIBA Core §7.1)');
      const { api: scopes, purpose } = requestedScopes(body.scope);
      if (scopes.length === 0)
        throw new OAuthError(
          400,
          'invalid_scope',
          `scope must name an API scope besides openid, such as ${SCOPES.customerInsightsScoring}`,
        );
      // The token endpoint's own check (invalid_scope): what is approved here must be issuable there.
      assertRequestable(client, scopes);
      const r = await app.ctx.telco.ciba.start(client, body.login_hint, scopes, purpose);
      reply.header('cache-control', 'no-store');
      return { auth_req_id: r.authReqId, expires_in: r.expiresIn, interval: r.interval };
    },
  );
};

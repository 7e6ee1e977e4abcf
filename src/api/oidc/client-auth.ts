/**
 * Client authentication at the provider's endpoints (RFC 6749 §2.3.1): HTTP Basic
 * (`client_secret_basic`), the form fields `client_id` and `client_secret`
 * (`client_secret_post`), or a JWT signed with one of the client's registered keys
 * (`private_key_jwt`, RFC 7523 §2.2, the CAMARA security profile's method); one method per
 * request, and one per client: a client registered with keys has only the last, so its secret is
 * refused as a wrong one (OAuthClientService.authenticate). A failed attempt, Basic or form, is
 * 401 `invalid_client` with `WWW-Authenticate`: CIBA Core §13 gives the backchannel endpoint that
 * status, RFC 6749 §5.2 allows it at the token endpoint, and the CAMARA security profile's table
 * asks for it at both.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { JWT_BEARER_ASSERTION } from '../../auth/client-keys.js';
import type { OAuthClient } from '../../auth/oauth-clients.js';
import { isPurpose } from '../../auth/scopes.js';
import { basicCredentials } from '../auth-hooks.js';
import { OAuthError } from './oauth-error.js';

const CLIENT_AUTH_FIELDS = {
  client_id: 'The client, when it does not authenticate with HTTP Basic.',
  client_secret: "The client's secret (client_secret_post), when it does not use HTTP Basic.",
  client_assertion_type:
    'urn:ietf:params:oauth:client-assertion-type:jwt-bearer, with client_assertion (private_key_jwt).',
  client_assertion: 'A JWT signed with one of the keys the client registered (private_key_jwt).',
};

/**
 * The form an endpoint takes (application/x-www-form-urlencoded): its own parameters and the
 * client's authentication, each text long enough for a signed client assertion. Other parameters
 * are allowed and ignored (RFC 6749 §3.2).
 */
export const oauthForm = (fields: Record<string, string>) =>
  Type.Object(
    Object.fromEntries(
      Object.entries({ ...fields, ...CLIENT_AUTH_FIELDS }).map(([name, description]) => [
        name,
        Type.Optional(Type.String({ maxLength: 8192, description })),
      ]),
    ),
    { additionalProperties: Type.String({ maxLength: 8192 }) },
  );

const INVALID_CLIENT = 'Client authentication failed';
const CHALLENGE = { 'www-authenticate': 'Basic realm="credence"' };

export async function authenticateClient(
  req: FastifyRequest,
  body: Record<string, string | undefined>,
  grant: string,
): Promise<OAuthClient> {
  const basic = basicCredentials(req);
  if (basic === null) throw new OAuthError(401, 'invalid_client', INVALID_CLIENT, CHALLENGE);
  if (body.client_assertion !== undefined || body.client_assertion_type !== undefined)
    return checkGrant(await byAssertion(req, body, basic !== undefined), grant);
  // A client may name itself in the form while authenticating with Basic (RFC 6749 §3.2.1): that
  // is not a second method, as long as it names the same client. A secret in both is.
  if (basic && body.client_secret !== undefined)
    throw new OAuthError(
      400,
      'invalid_request',
      'Authenticate the client with HTTP Basic or with the form, not both',
    );
  if (basic && body.client_id !== undefined && body.client_id !== basic.id)
    throw new OAuthError(
      400,
      'invalid_request',
      'client_id differs from the client authenticated with HTTP Basic',
    );
  const id = basic ? basic.id : body.client_id;
  const secret = basic ? basic.secret : body.client_secret;
  const client = id && secret ? await req.server.ctx.oauthClients.authenticate(id, secret) : undefined;
  if (!client) throw new OAuthError(401, 'invalid_client', INVALID_CLIENT, CHALLENGE);
  return checkGrant(client, grant);
}

function checkGrant(client: OAuthClient, grant: string): OAuthClient {
  if (!client.grants.includes(grant))
    throw new OAuthError(400, 'unauthorized_client', `This client may not use the grant ${grant}`);
  return client;
}

/** private_key_jwt: the assertion names the client; `client_id`, if sent too, must be the same. */
async function byAssertion(
  req: FastifyRequest,
  body: Record<string, string | undefined>,
  withBasic: boolean,
): Promise<OAuthClient> {
  if (withBasic || body.client_secret !== undefined)
    throw new OAuthError(400, 'invalid_request', 'Authenticate the client with one method only');
  if (body.client_assertion_type !== JWT_BEARER_ASSERTION)
    throw new OAuthError(400, 'invalid_request', `client_assertion_type must be ${JWT_BEARER_ASSERTION}`);
  if (!body.client_assertion) throw new OAuthError(400, 'invalid_request', 'client_assertion is required');
  // The assertion's audience: the issuer, or the endpoint it is sent to (RFC 7523 §3).
  const issuer = req.server.ctx.config.publicUrl;
  const client = await req.server.ctx.oauthClients.authenticateWithAssertion(body.client_assertion, [
    issuer,
    `${issuer}/oauth2/token`,
    `${issuer}/oauth2/bc-authorize`,
  ]);
  if (!client || (body.client_id !== undefined && body.client_id !== client.clientId))
    throw new OAuthError(401, 'invalid_client', INVALID_CLIENT, CHALLENGE);
  return client;
}

/**
 * The scopes asked for that name an API, and the purpose declared beside them, if any. Set aside,
 * as they name no API: `openid`; `offline_access`, a refresh token, which this provider does not
 * issue (the CAMARA profile leaves issuing one to the server, and OpenID Connect Core §11 has the
 * request ignored rather than refused); and the purpose (`dpv:...`), of which the CAMARA profile
 * allows exactly one (two are invalid_scope). The purpose is carried by the token and kept with
 * each score asked for with it.
 */
export function requestedScopes(scope: string | undefined): { api: string[]; purpose: string | undefined } {
  const asked = [...new Set((scope ?? '').split(' ').filter((s) => s !== ''))];
  const purposes = asked.filter(isPurpose);
  if (purposes.length > 1)
    throw new OAuthError(400, 'invalid_scope', 'scope may declare one purpose (dpv:...), not several');
  return {
    api: asked.filter((s) => s !== 'openid' && s !== 'offline_access' && !isPurpose(s)),
    purpose: purposes[0],
  };
}

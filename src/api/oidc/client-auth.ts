/**
 * Client authentication at the provider's endpoints (RFC 6749 §2.3.1): HTTP Basic
 * (`client_secret_basic`) or the form fields `client_id` and `client_secret`
 * (`client_secret_post`), never both. A failed attempt, Basic or form, is 401 `invalid_client` with
 * `WWW-Authenticate`: CIBA Core §13 gives the backchannel endpoint that status, RFC 6749 §5.2
 * allows it at the token endpoint, and the CAMARA security profile's table asks for it at both.
 */
import type { FastifyRequest } from 'fastify';
import type { OAuthClient } from '../../auth/oauth-clients.js';
import { basicCredentials } from '../auth-hooks.js';
import { OAuthError } from './oauth-error.js';

const INVALID_CLIENT = 'Client authentication failed';
const CHALLENGE = { 'www-authenticate': 'Basic realm="credence"' };

export async function authenticateClient(
  req: FastifyRequest,
  body: Record<string, string | undefined>,
  grant: string,
): Promise<OAuthClient> {
  const basic = basicCredentials(req);
  if (basic === null) throw new OAuthError(401, 'invalid_client', INVALID_CLIENT, CHALLENGE);
  if (basic && (body.client_id !== undefined || body.client_secret !== undefined))
    throw new OAuthError(
      400,
      'invalid_request',
      'Authenticate the client with HTTP Basic or with the form, not both',
    );
  const id = basic ? basic.id : body.client_id;
  const secret = basic ? basic.secret : body.client_secret;
  const client = id && secret ? await req.server.ctx.oauthClients.authenticate(id, secret) : undefined;
  if (!client) throw new OAuthError(401, 'invalid_client', INVALID_CLIENT, CHALLENGE);
  if (!client.grants.includes(grant))
    throw new OAuthError(400, 'unauthorized_client', `This client may not use the grant ${grant}`);
  return client;
}

/** The scopes asked for, with the OpenID Connect ones (`openid`) set aside: they name no API. */
export function apiScopes(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter((s) => s !== '' && s !== 'openid'))];
}

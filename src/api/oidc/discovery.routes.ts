/** OpenID Connect Discovery 1.0 §3 and the JWK Set (RFC 7517 §5) of the signing keys. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { ASSERTION_ALGS } from '../../auth/client-keys.js';
import { CIBA_GRANT } from '../../auth/oauth-grants.js';
import { SCOPES } from '../../auth/scopes.js';
import { SIGNING_ALGS } from '../../auth/signing-keys.js';

/** The discovery document of `issuer`, the public URL. */
function discoveryDocument(issuer: string) {
  return {
    issuer,
    token_endpoint: `${issuer}/oauth2/token`,
    jwks_uri: `${issuer}/oauth2/jwks`,
    backchannel_authentication_endpoint: `${issuer}/oauth2/bc-authorize`,
    backchannel_token_delivery_modes_supported: ['poll'],
    backchannel_user_code_parameter_supported: false,
    grant_types_supported: ['client_credentials', CIBA_GRANT],
    // The provider's methods: each client has one of them, private_key_jwt if it registered keys.
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    scopes_supported: ['openid', SCOPES.customerInsightsScoring],
    subject_types_supported: ['public'],
    // RS256 first: OpenID Connect Discovery §3 requires it, and it is a client's default.
    id_token_signing_alg_values_supported: [...SIGNING_ALGS],
    response_types_supported: ['token'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'client_id', 'scope'],
  };
}

const Strings = Type.Array(Type.String());
const DiscoverySchema = Type.Object({
  issuer: Type.String(),
  token_endpoint: Type.String(),
  jwks_uri: Type.String(),
  backchannel_authentication_endpoint: Type.String(),
  backchannel_token_delivery_modes_supported: Strings,
  backchannel_user_code_parameter_supported: Type.Boolean(),
  grant_types_supported: Strings,
  token_endpoint_auth_methods_supported: Strings,
  token_endpoint_auth_signing_alg_values_supported: Strings,
  scopes_supported: Strings,
  subject_types_supported: Strings,
  id_token_signing_alg_values_supported: Strings,
  response_types_supported: Strings,
  claims_supported: Strings,
});

/** A JWK Set: each public key with its type, id, use and algorithm , and the members of its type. */
const JwksSchema = Type.Object({
  keys: Type.Array(
    Type.Object(
      {
        kty: Type.String(),
        kid: Type.Optional(Type.String()),
        use: Type.Optional(Type.String()),
        alg: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
  ),
});

export const discoveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Built from the public URL at each request: on a free port it is known only once the server listens.
  app.get(
    '/.well-known/openid-configuration',
    {
      schema: {
        tags: ['oidc'],
        summary: 'OpenID Connect discovery document',
        response: { 200: DiscoverySchema },
      },
    },
    async (_req, reply) =>
      reply.header('cache-control', 'public, max-age=300').send(discoveryDocument(app.ctx.config.publicUrl)),
  );

  app.get(
    '/oauth2/jwks',
    {
      schema: {
        tags: ['oidc'],
        summary: 'The public keys that verify the tokens Credence signs',
        response: {
          200: {
            description: 'The JWK Set',
            content: { 'application/jwk-set+json': { schema: JwksSchema } },
          },
        },
      },
    },
    async (_req, reply) =>
      reply
        .header('cache-control', 'public, max-age=300')
        .type('application/jwk-set+json')
        // jose types every member of a JWK optional; the signing keys' always carry these.
        .send((await app.ctx.signingKeys.jwks()) as Static<typeof JwksSchema>),
  );
};

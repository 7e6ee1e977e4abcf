/** A tenant's API keys: list, create (shown once), change scopes, IP allowlist and rate limit, revoke. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { apiKeyJson } from '../../services/api-key-service.js';
import { AdminErrors, TenantParams } from './tenants.routes.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Scopes = Type.Array(Type.String({ minLength: 1 }), {
  description:
    'Scopes (docs/authentication.md). On a new key, absent means every scope ("*"); a list, on a new key or a change, must name at least one (an empty list is a 400).',
});
const IpAllow = Type.Union([Type.Array(Type.String({ minLength: 1 })), Type.Null()], {
  description: 'CIDR blocks the key may call from; null or empty for every address.',
});
const RateLimit = Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()], {
  description: 'Requests per second for this key on the native and Cladfy APIs; null for none.',
});

const KeySchema = Type.Object(
  {
    id: Type.String(),
    tenant_id: Type.String(),
    client_id: Type.String(),
    type: Type.String(),
    name: Nullable(Type.String()),
    start: Type.String({ description: 'The first characters of the key, to tell keys apart.' }),
    scopes: Type.Array(Type.String()),
    ip_allow: Type.Union([Type.Array(Type.String()), Type.Null()]),
    rate_limit: Type.Union([Type.Integer(), Type.Null()]),
    created_at: Type.String(),
    expires_at: Nullable(Type.String()),
    revoked_at: Nullable(Type.String()),
  },
  { $id: 'AdminApiKey' },
);
const KeyId = Type.Object({ id: Type.String() });

export const keyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/tenants/:tenant/keys',
    {
      schema: {
        tags: ['admin'],
        summary: "A tenant's API keys (never the keys themselves)",
        params: TenantParams,
        response: { 200: Type.Object({ keys: Type.Array(KeySchema) }), ...AdminErrors },
      },
    },
    async (req) => ({ keys: (await app.ctx.apiKeys.list(req.params.tenant)).map(apiKeyJson) }),
  );

  app.post(
    '/tenants/:tenant/keys',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create an API key; the answer is the only time the key is shown',
        params: TenantParams,
        // Strict: a misspelt "scopes" must not make a key with every scope.
        body: Type.Object(
          {
            client: Type.Optional(
              Type.String({ minLength: 1, description: 'Client name; default "default".' }),
            ),
            type: Type.Optional(Type.Union([Type.Literal('server'), Type.Literal('device')])),
            name: Type.Optional(Type.String({ maxLength: 200 })),
            scopes: Type.Optional(Scopes),
            ip_allow: Type.Optional(IpAllow),
            rate_limit: Type.Optional(RateLimit),
            expires_at: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Intersect([KeySchema, Type.Object({ key: Type.String() })]),
          ...AdminErrors,
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const k = await app.ctx.apiKeys.create({
        tenant: req.params.tenant,
        client: b.client,
        type: b.type,
        name: b.name,
        scopes: b.scopes,
        ipAllow: b.ip_allow,
        rateLimit: b.rate_limit,
        expiresAt: b.expires_at,
        actor: req.adminKeyId,
      });
      return reply.code(201).send({ ...apiKeyJson(k), key: k.key });
    },
  );

  app.patch(
    '/keys/:id',
    {
      schema: {
        tags: ['admin'],
        summary: "Change a key's scopes, IP allowlist or rate limit; absent fields stay as they are",
        description: 'Every replica applies the change within a second.',
        params: KeyId,
        body: Type.Object(
          {
            scopes: Type.Optional(Scopes),
            ip_allow: Type.Optional(IpAllow),
            rate_limit: Type.Optional(RateLimit),
          },
          { additionalProperties: false },
        ),
        response: { 200: KeySchema, ...AdminErrors },
      },
    },
    async (req) =>
      apiKeyJson(
        await app.ctx.apiKeys.update(
          req.params.id,
          { scopes: req.body.scopes, ipAllow: req.body.ip_allow, rateLimit: req.body.rate_limit },
          req.adminKeyId,
        ),
      ),
  );

  app.post(
    '/keys/:id/revoke',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke a key; every replica refuses it within a second',
        params: KeyId,
        response: { 200: KeySchema, ...AdminErrors },
      },
    },
    async (req) => apiKeyJson(await app.ctx.apiKeys.revoke(req.params.id, req.adminKeyId)),
  );
};

/** Tenants and their clients (applications), as the operator sees them. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Client, Tenant } from '../../services/tenant-service.js';
import { ProblemSchema } from '../native/problem.js';

const TenantSchema = Type.Object(
  { id: Type.String(), name: Type.String(), created_at: Type.String(), disabled: Type.Boolean() },
  { $id: 'AdminTenant' },
);
const ClientSchema = Type.Object(
  { id: Type.String(), tenant_id: Type.String(), name: Type.String(), created_at: Type.String() },
  { $id: 'AdminClient' },
);
const tenantWire = (t: Tenant) => ({ id: t.id, name: t.name, created_at: t.createdAt, disabled: t.disabled });
const clientWire = (c: Client) => ({
  id: c.id,
  tenant_id: c.tenantId,
  name: c.name,
  created_at: c.createdAt,
});

export const TenantParams = Type.Object({
  tenant: Type.String({ description: 'The tenant, by name or id.' }),
});
export const AdminErrors = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
};
const Name = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 63 }) },
  { additionalProperties: false },
);

export const tenantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/tenants',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every tenant',
        response: { 200: Type.Object({ tenants: Type.Array(TenantSchema) }), ...AdminErrors },
      },
    },
    async () => ({ tenants: (await app.ctx.tenants.list()).map(tenantWire) }),
  );

  app.post(
    '/tenants',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a tenant, with its default client',
        body: Name,
        response: { 201: TenantSchema, ...AdminErrors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(tenantWire(await app.ctx.tenants.create(req.body.name, req.adminKeyId))),
  );

  app.get(
    '/tenants/:tenant/clients',
    {
      schema: {
        tags: ['admin'],
        summary: "A tenant's clients (applications)",
        params: TenantParams,
        response: { 200: Type.Object({ clients: Type.Array(ClientSchema) }), ...AdminErrors },
      },
    },
    async (req) => ({ clients: (await app.ctx.tenants.clients(req.params.tenant)).map(clientWire) }),
  );

  app.post(
    '/tenants/:tenant/clients',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a client (application) to a tenant',
        params: TenantParams,
        body: Name,
        response: { 201: ClientSchema, ...AdminErrors },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          clientWire(await app.ctx.tenants.createClient(req.params.tenant, req.body.name, req.adminKeyId)),
        ),
  );
};

/**
 * One tenant as the operator sees it: the native API's own subject, model and webhook routes,
 * mounted under /api/v1/admin/tenants/{tenant} and called as that tenant. Reusing the routes
 * means the console shows the same fields the tenant's API shows (no more personal data), and
 * the tenant is fixed by the path, so one request never reaches two tenants' data.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { ALL_SCOPES } from '../../auth/scopes.js';
import { modelRoutes } from '../native/models.routes.js';
import { subjectRoutes } from '../native/subjects.routes.js';
import { webhookRoutes } from '../native/webhooks.routes.js';
import { AdminErrors } from './tenants.routes.js';

const tenantOf = (req: FastifyRequest) => (req.params as { tenant: string }).tenant;

export const tenantScopedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Documented once more under the admin prefix, with the tenant among the path parameters.
  app.addHook('onRoute', (route) => {
    const schema = (route.schema ?? {}) as { params?: { properties?: object }; tags?: string[] };
    route.schema = {
      ...schema,
      tags: ['admin'],
      params: Type.Object({
        tenant: Type.String({ description: 'The tenant, by name or id.' }),
        ...(schema.params?.properties ?? {}),
      }),
    };
  });
  app.addHook('preValidation', async (req) => {
    const tenant = await app.ctx.tenants.get(tenantOf(req));
    const client = await app.ctx.tenants.client(tenant.id);
    req.principal = {
      tenantId: tenant.id,
      clientId: client.id,
      credentialId: req.adminKeyId!,
      credentialType: 'admin',
      scopes: [ALL_SCOPES],
    };
  });

  await app.register(subjectRoutes);
  await app.register(modelRoutes);
  await app.register(webhookRoutes);

  app.get(
    '/subjects/:id/data-sources',
    {
      schema: {
        summary: 'What is known about a subject beyond its scoring requests: kind, source and date only',
        description: 'The records themselves stay encrypted: the native API shows none of their content.',
        params: Type.Object({ id: Type.String() }),
        response: {
          200: Type.Object({
            records: Type.Array(
              Type.Object({
                id: Type.String(),
                kind: Type.String(),
                source: Type.String(),
                created_at: Type.String(),
              }),
            ),
          }),
          ...AdminErrors,
        },
      },
    },
    async (req) => {
      const who = req.principal!;
      const subject = await app.ctx.history.subject(who, req.params.id);
      const records = await app.ctx.dataRecords.sources(who.tenantId, subject.id);
      return {
        records: records.map((r) => ({ id: r.id, kind: r.kind, source: r.source, created_at: r.createdAt })),
      };
    },
  );
};

/**
 * The operator's API under /api/v1/admin, which the console calls. Only admin keys (`crd_ak_`)
 * get in: a tenant's key is refused with 403, anything else with 401. Errors are problem+json,
 * and an `Accept` that admits neither JSON nor problem+json is a 406, as on the native API.
 *
 * Under /tenants/{tenant} the operator sees one tenant through the native routes themselves
 * (subjects, models, webhook deliveries), acting as that tenant, so the console shows exactly
 * what the tenant's own API shows and no more.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { CredenceError } from '../../domain/errors.js';
import { bearerToken, headerValue } from '../auth-hooks.js';
import { notAcceptable } from '../native/accept.js';
import { documentProblems } from '../native/problem.js';
import { answerWithProblems } from '../problem-handlers.js';
import { keyRoutes } from './keys.routes.js';
import { tenantScopedRoutes } from './tenant-scoped.js';
import { tenantRoutes } from './tenants.routes.js';

function requireAdminKey(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    const raw = bearerToken(req) ?? headerValue(req, 'x-api-key');
    if (raw === undefined || raw.trim() === '')
      throw new CredenceError('CREDENCE_UNAUTHENTICATED', 'admin key is missing');
    const adminKeyId = await app.ctx.adminKeys.check(raw);
    if (adminKeyId) {
      req.adminKeyId = adminKeyId;
      return;
    }
    const tenantKey = await app.ctx.keyAuth.check(raw, ['server', 'device', 'finbox-server']);
    if (tenantKey.ok)
      throw new CredenceError('CREDENCE_FORBIDDEN', "the admin API needs an admin key, not a tenant's key");
    throw new CredenceError('CREDENCE_UNAUTHENTICATED', 'admin key is invalid');
  });
}

export const adminApi: FastifyPluginAsync = async (app) => {
  app.removeContentTypeParser('text/plain');
  documentProblems(app, {
    rateLimited: false,
    idempotent: false,
    negotiated: true,
    security: [{ bearerAdminKey: [] }, { adminKeyHeader: [] }],
  });
  answerWithProblems(app);
  // Before the key, as on the native API: whoever asks, the answer could not be read.
  app.addHook('onRequest', (req, _reply, done) => done(req.is404 ? undefined : notAcceptable(req)));
  requireAdminKey(app);
  await app.register(tenantRoutes);
  await app.register(keyRoutes);
  await app.register(tenantScopedRoutes, { prefix: '/tenants/:tenant' });
};

import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { PACKAGE_ROOT } from '../context.js';

/** GET /docs: the OpenAPI 3.1 document of every registered route; /docs/errors: the error catalog. */
export const docsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/docs', { schema: { hide: true } }, async () => app.swagger());
  app.get('/docs/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/docs/errors', { schema: { hide: true } }, async (_req, reply) => {
    const file = path.join(PACKAGE_ROOT, 'docs', 'errors.md');
    return reply.type('text/markdown; charset=utf-8').send(fs.readFileSync(file, 'utf8'));
  });
};

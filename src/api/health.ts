import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import { withDeadline } from '../lib/deadline.js';

/** A database that has not answered `select 1` by then is not ready, whatever it is doing. */
export const READINESS_DEADLINE_MS = 2000;

const Status = Type.Object({ status: Type.String() });

/** Liveness (the process answers) and readiness (the database answers). */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'The process is up', response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The database is reachable',
        response: { 200: Status, 503: Status },
      },
    },
    async (_req, reply) => {
      try {
        await withDeadline(sql`select 1`.execute(app.ctx.database.db), READINESS_DEADLINE_MS, 'the database');
        return { status: 'ok' };
      } catch (err) {
        app.log.warn({ err }, 'readiness check failed');
        return reply.code(503).send({ status: 'unavailable' });
      }
    },
  );
};

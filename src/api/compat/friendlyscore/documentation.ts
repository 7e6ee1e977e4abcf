/**
 * What every route of the dialect documents besides its own answers: the body types it reads
 * (JSON, a form, or multipart form data, as FriendlyScore's PHP did), the framework's refusals of
 * a body (413, 415) and its failures (500, 503). Call before the routes are registered.
 */
import type { FastifyInstance } from 'fastify';
import { FrameworkError } from './schemas.js';

const BODY_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

export function documentFriendlyScoreRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as
      | { hide?: boolean; body?: unknown; consumes?: string[]; response?: Record<string, unknown> }
      | undefined;
    if (!schema || schema.hide) return;
    const withBody = [route.method].flat().some((m) => m === 'POST' || m === 'PUT');
    const response: Record<string, unknown> = { ...schema.response };
    for (const status of withBody ? [413, 415, 500, 503] : [500, 503]) response[status] ??= FrameworkError;
    route.schema = {
      ...schema,
      response,
      ...(withBody && schema.body !== undefined ? { consumes: schema.consumes ?? BODY_TYPES } : {}),
    };
  });
}

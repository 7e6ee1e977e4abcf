/** Webhook deliveries: list them, read one with its attempts, replay one. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { SCOPES } from '../../auth/scopes.js';
import type { WebhookDelivery } from '../../webhooks/webhook-service.js';
import { PROBLEM_RESPONSES, ProblemSchema } from './problem.js';
import { Cursor } from './schemas.js';

const DeliverySchema = Type.Object(
  {
    id: Type.String({ description: 'Also the webhook-id header of every attempt.' }),
    event_type: Type.String(),
    url: Type.String({ description: 'The destination, without its query string.' }),
    status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
    attempts: Type.Integer(),
    last_status_code: Type.Union([Type.Integer(), Type.Null()]),
    last_error: Type.Union([Type.String(), Type.Null()]),
    next_attempt_at: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String(),
    updated_at: Type.String(),
    delivered_at: Type.Union([Type.String(), Type.Null()], {
      description: 'When it was delivered; null while pending (a replay too) or failed.',
    }),
  },
  { $id: 'WebhookDelivery' },
);

const AttemptSchema = Type.Object({
  attempt: Type.Integer(),
  started_at: Type.String(),
  duration_ms: Type.Integer(),
  status_code: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  response_excerpt: Type.Union([Type.String(), Type.Null()]),
});

const wire = (d: WebhookDelivery) => ({
  id: d.id,
  event_type: d.eventType,
  url: d.url,
  status: d.status,
  attempts: d.attempts,
  last_status_code: d.lastStatusCode,
  last_error: d.lastError,
  next_attempt_at: d.nextAttemptAt,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
  delivered_at: d.deliveredAt,
});

const Id = Type.Object({ id: Type.String() });

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/webhook-deliveries',
    {
      config: { scope: SCOPES.webhooksRead },
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook deliveries, newest first',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
          ),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          after: Cursor('msg'),
        }),
        response: {
          200: Type.Object({
            deliveries: Type.Array(DeliverySchema),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req) => {
      const page = await app.ctx.webhooks.list(req.principal!, req.query);
      return { deliveries: page.deliveries.map(wire), next_cursor: page.next };
    },
  );

  app.get(
    '/webhook-deliveries/:id',
    {
      config: { scope: SCOPES.webhooksRead },
      schema: {
        tags: ['webhooks'],
        summary: 'A delivery with its body and every attempt',
        params: Id,
        response: {
          200: Type.Intersect([
            DeliverySchema,
            Type.Object({ payload: Type.Unknown(), attempt_log: Type.Array(AttemptSchema) }),
          ]),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req) => {
      const d = await app.ctx.webhooks.get(req.principal!, req.params.id);
      return {
        ...wire(d),
        payload: d.payload,
        attempt_log: d.attemptLog.map((a) => ({
          attempt: a.attempt,
          started_at: a.startedAt,
          duration_ms: a.durationMs,
          status_code: a.statusCode,
          error: a.error,
          response_excerpt: a.responseExcerpt,
        })),
      };
    },
  );

  app.post(
    '/webhook-deliveries/:id/replay',
    {
      config: { scope: SCOPES.webhooksWrite },
      schema: {
        tags: ['webhooks'],
        summary: 'Send a delivery again: same webhook-id and body, a new 24-hour retry window',
        description:
          'For a delivered or failed delivery. One still pending has its next attempt scheduled or running: it is answered 409 CREDENCE_CONFLICT and keeps its one series of attempts.',
        params: Id,
        response: { 202: DeliverySchema, 409: ProblemSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) =>
      reply.code(202).send(wire(await app.ctx.webhooks.replay(req.principal!, req.params.id))),
  );
};

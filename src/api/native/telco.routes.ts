/**
 * The operator's side of the CAMARA Customer Insights API: loading subscribers in batches,
 * reading one back, erasing one, and recording or withdrawing a subscriber's consent to be scored
 * by an API consumer.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { SCOPES } from '../../auth/scopes.js';
import { SUBSCRIPTION_TYPES, TELCO_FEATURES } from '../../domain/telco/subscriber.js';
import { PROBLEM_RESPONSES } from './problem.js';
import { wireConsent, wireErasure, wireSubscriber } from './telco-wire.js';

const SubscriberSchema = Type.Object(
  {
    phone_number: Type.String({ minLength: 1, maxLength: 32, description: 'E.164, e.g. +254712345678.' }),
    id_document: Type.Optional(
      Type.Union([Type.String({ maxLength: 64 }), Type.Null()], {
        description: 'The national id document number; compared without spaces, dots or hyphens.',
      }),
    ),
    subscription_type: Type.String({ description: SUBSCRIPTION_TYPES.join(' | ') }),
    activation_date: Type.String({ description: 'YYYY-MM-DD' }),
    features: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()]), {
        description: `Monthly usage and payment features, numbers 0 or more. Read by the starter scorecard: ${Object.keys(TELCO_FEATURES).join(', ')} (docs/camara.md#subscriber-data).`,
      }),
    ),
  },
  { additionalProperties: false },
);

const ErasedSubscriberSchema = Type.Object({
  subscriber_id: Type.String(),
  erased: Type.Object({
    consents: Type.Integer(),
    ciba_requests: Type.Integer(),
    score_runs: Type.Integer(),
  }),
});

const ConsentSchema = Type.Object({
  consent_id: Type.String(),
  subscriber_id: Type.String(),
  client_id: Type.String(),
  scope: Type.String(),
  source: Type.String(),
  granted_at: Type.String(),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
});

const StoredSubscriberSchema = Type.Object({
  subscriber_id: Type.String(),
  phone_number: Type.String({ description: 'E.164' }),
  id_document: Type.Union([Type.String(), Type.Null()], { description: 'As compared: normalised.' }),
  subscription_type: Type.String(),
  activation_date: Type.String(),
  features: Type.Record(Type.String(), Type.Number()),
  created_at: Type.String(),
  updated_at: Type.String({ description: 'When the subscriber was last loaded.' }),
  consents: Type.Array(ConsentSchema),
});

export const telcoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/telco/subscribers',
    {
      config: { scope: SCOPES.telcoWrite },
      schema: {
        tags: ['telco'],
        summary: "Load or update the operator's subscribers (CAMARA Customer Insights)",
        description:
          'All or nothing: one invalid subscriber stores none, and the error names it (`subscribers[3].phone_number`). ' +
          'A phone number loaded before has its data replaced.',
        body: Type.Object(
          { subscribers: Type.Array(SubscriberSchema, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            received: Type.Integer(),
            created: Type.Integer({ description: 'Phone numbers not loaded before.' }),
            updated: Type.Integer({ description: 'Phone numbers whose data was replaced.' }),
          }),
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req, reply) => {
      const result = await app.ctx.telco.subscribers.load(req.principal!.tenantId, req.body.subscribers, {
        actor: req.principal!.credentialId,
        where: (i) => `subscribers[${i}]`,
      });
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/telco/subscribers/:phone_number',
    {
      config: { scope: SCOPES.telcoRead },
      schema: {
        tags: ['telco'],
        summary: "A subscriber's data and consents, as stored",
        description:
          'Everything kept about the subscriber, decrypted: the phone number, id document, subscription, ' +
          'features and every consent, standing or withdrawn. The phone number is given in international form ' +
          '(`%2B` or `+`, then the country code). docs/camara.md#reading-a-subscriber-back',
        params: Type.Object({ phone_number: Type.String({ minLength: 1, maxLength: 32 }) }),
        response: { 200: StoredSubscriberSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) => {
      const tenantId = req.principal!.tenantId;
      const s = await app.ctx.telco.subscribers.record(tenantId, req.params.phone_number);
      return wireSubscriber(s, await app.ctx.telco.consents.of(s.id));
    },
  );

  app.delete(
    '/telco/subscribers/:phone_number',
    {
      config: { scope: SCOPES.telcoWrite },
      schema: {
        tags: ['telco'],
        summary: 'Erase a subscriber and everything kept about them',
        description:
          'Deletes the subscriber (phone number, id document, features), their consents and backchannel ' +
          'authentication requests, and every score run kept about them. Tokens issued for the subscriber ' +
          'stop working at once. The phone number is given in international form (`%2B` or `+`, then the country code). docs/camara.md#erasing-a-subscriber',
        params: Type.Object({ phone_number: Type.String({ minLength: 1, maxLength: 32 }) }),
        response: { 200: ErasedSubscriberSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) =>
      wireErasure(
        await app.ctx.telco.erasure.erase(req.principal!.tenantId, req.params.phone_number, {
          actor: req.principal!.credentialId,
          via: 'native',
        }),
      ),
  );

  app.post(
    '/telco/consents',
    {
      config: { scope: SCOPES.telcoWrite },
      schema: {
        tags: ['telco'],
        summary: "Record a subscriber's consent to be scored by an API consumer",
        description:
          'With `consent: record` in the operator configuration, a CIBA request is approved only when such a consent stands; ' +
          'a 3-legged token is honoured only while it stands. A consent already standing is returned as it is (200).',
        body: Type.Object(
          {
            phone_number: Type.String({ pattern: '^\\+[1-9][0-9]{4,14}$', description: 'E.164.' }),
            client_id: Type.String({
              minLength: 1,
              maxLength: 100,
              description: "The API consumer's OAuth client_id.",
            }),
            scope: Type.Optional(
              Type.String({ minLength: 1, maxLength: 200, default: SCOPES.customerInsightsScoring }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: ConsentSchema, 201: ConsentSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req, reply) => {
      const { consent, created } = await app.ctx.telco.consents.grantByPhone(req.principal!.tenantId, {
        phone: req.body.phone_number,
        clientId: req.body.client_id,
        scope: req.body.scope ?? SCOPES.customerInsightsScoring,
        source: 'api',
        actor: req.principal!.credentialId,
      });
      // The answer names the subscriber: a copy kept for Idempotency-Key replays goes with them.
      req.idempotencySubject = consent.subscriberId;
      return reply.code(created ? 201 : 200).send(wireConsent(consent));
    },
  );

  app.delete(
    '/telco/consents/:consent_id',
    {
      config: { scope: SCOPES.telcoWrite },
      schema: {
        tags: ['telco'],
        summary: 'Withdraw a consent: tokens it covered stop working at once',
        params: Type.Object({ consent_id: Type.String({ maxLength: 100 }) }),
        response: { 200: ConsentSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (req) =>
      wireConsent(
        await app.ctx.telco.consents.revoke(
          req.principal!.tenantId,
          req.params.consent_id,
          req.principal!.credentialId,
        ),
      ),
  );
};

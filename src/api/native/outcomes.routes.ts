import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { SCOPES } from '../../auth/scopes.js';
import { fromRecord, OUTCOME_STATUSES } from '../../domain/outcomes.js';
import { ProblemSchema } from './problem.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) =>
  Type.Optional(Type.Union([t, Type.Null()]));
const Amount = Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.Null()]));

export const OutcomeRecordSchema = Type.Object(
  {
    partner_id: Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        "The tenant's own id for the person, as its scoring requests sent it (Cladfy `client_id`).",
    }),
    kind: Type.Optional(
      Type.Union([Type.Literal('loan'), Type.Literal('application'), Type.Literal('feedback')], {
        description: 'Default loan.',
      }),
    ),
    status: Type.String({
      description: Object.entries(OUTCOME_STATUSES)
        .map(([kind, statuses]) => `${kind}: ${statuses.join(', ')}`)
        .join('; '),
    }),
    observed_at: Type.String({ description: 'When the status was observed: ISO 8601 date or date-time.' }),
    loan_id: Nullable(Type.String({ maxLength: 200 })),
    days_past_due: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    amount: Amount,
    amount_overdue: Amount,
    paid_capital: Amount,
    currency: Nullable(Type.String({ description: 'ISO 4217, e.g. KES.' })),
    term_days: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    installment: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    external_id: Nullable(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Your id for this record: a record sent again with the same id is stored once.',
      }),
    ),
    details: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Anything else to keep; never personal data.',
      }),
    ),
  },
  { additionalProperties: false, $id: 'OutcomeRecord' },
);

const Errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 422: ProblemSchema };

export const outcomeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/outcomes',
    {
      config: { scope: SCOPES.outcomesWrite },
      schema: {
        tags: ['outcomes'],
        summary: 'Record what became of scored people: loan performance, decisions, feedback',
        description:
          'All or nothing: one invalid record stores none, and the error names it (`outcomes[3].status`). ' +
          'A record whose external_id was stored before is counted as a duplicate and left as it is.',
        body: Type.Object(
          { outcomes: Type.Array(OutcomeRecordSchema, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            stored: Type.Integer({ description: 'Records stored now.' }),
            duplicates: Type.Integer({ description: 'Records whose external_id was already stored.' }),
          }),
          ...Errors,
        },
      },
    },
    async (req, reply) => {
      const result = await app.ctx.outcomes.record(req.principal!, req.body.outcomes.map(fromRecord), 'api');
      return reply.code(201).send(result);
    },
  );
};

/**
 * `POST /api/v1/applications`: a consortium member reports a loan application, its decision and
 * the state of the loan it became (docs/td.md#the-consortium); or, naming its `sequence_id`, the
 * decision on an application a TD call recorded. The identifiers are stored only as
 * consortium hashes, and nothing but the application's own state is returned.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { SCOPES } from '../../auth/scopes.js';
import { APPLICATION_STATUSES, LOAN_STATUSES, MAX_APP_NAME } from '../../domain/consortium.js';
import { NO_CONTROL_CHARACTERS } from '../../lib/text.js';
import type { StoredApplication } from '../../services/consortium-service.js';
import { PROBLEM_RESPONSES, ProblemSchema } from './problem.js';

const Loan = Type.Object(
  {
    status: Type.Union(
      LOAN_STATUSES.map((s) => Type.Literal(s)),
      { errorMessage: `must be one of: ${LOAN_STATUSES.join(', ')}` },
    ),
    days_past_due: Type.Optional(Type.Integer({ minimum: 0 })),
    observed_at: Type.Optional(Type.String({ description: 'ISO 8601; default now.' })),
  },
  { additionalProperties: false },
);

const ApplicationBody = Type.Object(
  {
    external_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        pattern: NO_CONTROL_CHARACTERS,
        errorMessage: 'must be 1-128 characters, none of them a control character',
        description: "The tenant's id for the application: reporting it again updates the application.",
      }),
    ),
    sequence_id: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{32}$',
        errorMessage: 'must be the 32 hex digits a credit-indicator call answered',
        description:
          'The sequence_id of the TD call that recorded the application (a call with app_name): reports its decision and loan instead of a new application.',
      }),
    ),
    country: Type.String({ pattern: '^[A-Za-z]{2}$', errorMessage: 'must be an ISO 3166-1 alpha-2 code' }),
    national_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    phone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 32, description: 'E.164, or the national form of `country`.' }),
    ),
    app_name: Type.String({ minLength: 1, maxLength: MAX_APP_NAME }),
    applied_at: Type.Optional(
      Type.String({ description: 'ISO 8601; default now (or, on an update, unchanged).' }),
    ),
    status: Type.Optional(
      Type.Union(
        APPLICATION_STATUSES.map((s) => Type.Literal(s)),
        { errorMessage: `must be one of: ${APPLICATION_STATUSES.join(', ')}` },
      ),
    ),
    decided_at: Type.Optional(
      Type.String({ description: 'ISO 8601, for approved or declined; default now.' }),
    ),
    loan: Type.Optional(Loan),
  },
  {
    additionalProperties: false,
    examples: [
      {
        external_id: 'app-1001',
        country: 'MX',
        national_id: 'BOXW310820HNERXN09',
        phone: '5512345678',
        app_name: 'CashNow',
        status: 'approved',
        loan: { status: 'arrears', days_past_due: 12 },
      },
    ],
  },
);

const ApplicationSchema = Type.Object(
  {
    id: Type.String(),
    external_id: Type.Union([Type.String(), Type.Null()]),
    sequence_id: Type.Union([Type.String(), Type.Null()], {
      description: 'The TD call that recorded the application, if one did.',
    }),
    app_name: Type.String({ description: 'Normalised: lower case, single spaces.' }),
    status: Type.String(),
    applied_at: Type.String(),
    decided_at: Type.Union([Type.String(), Type.Null()]),
    loan: Type.Union([
      Type.Object({
        status: Type.String(),
        days_past_due: Type.Union([Type.Integer(), Type.Null()]),
        observed_at: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ]),
    created: Type.Boolean(),
  },
  { $id: 'ConsortiumApplication' },
);

const wire = (a: StoredApplication) => ({
  id: a.id,
  external_id: a.externalId,
  sequence_id: a.sequenceId,
  app_name: a.app,
  status: a.status,
  applied_at: a.appliedAt,
  decided_at: a.decidedAt,
  loan: a.loan && {
    status: a.loan.status,
    days_past_due: a.loan.daysPastDue,
    observed_at: a.loan.observedAt,
  },
  created: a.created,
});

export const applicationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/applications',
    {
      config: { scope: SCOPES.applicationsWrite },
      schema: {
        tags: ['consortium'],
        summary: 'Report a loan application to the consortium (members only)',
        description:
          'Give national_id, phone or both. 201 for a new application; 200 when sequence_id names the TD call that recorded it, or external_id one reported before: its state is replaced.',
        body: ApplicationBody,
        response: {
          200: ApplicationSchema,
          201: ApplicationSchema,
          422: ProblemSchema,
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const stored = await app.ctx.consortium.record(req.principal!, {
        externalId: b.external_id,
        sequenceId: b.sequence_id,
        country: b.country,
        nationalId: b.national_id,
        phone: b.phone,
        appName: b.app_name,
        appliedAt: b.applied_at,
        status: b.status,
        decidedAt: b.decided_at,
        loan: b.loan && {
          status: b.loan.status,
          daysPastDue: b.loan.days_past_due,
          observedAt: b.loan.observed_at,
        },
      });
      // The answer is about an application of the person's, which their erasure deletes: so does
      // a copy kept for Idempotency-Key replays.
      req.idempotencySubject = stored.id;
      return reply.code(stored.created ? 201 : 200).send(wire(stored));
    },
  );
};

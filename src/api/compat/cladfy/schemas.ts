/**
 * The Cladfy request and response bodies (shared/seeds/cladfy-client-data.txt; field names of
 * the repayment request follow the Open Finance Africa Payment Score API). docs/cladfy.md.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { MAX_REPORTED_AMOUNT } from '../../../domain/money.js';
import { SERVICES } from '../../../services/scoring-service.js';

export const ClientId = Type.String({
  minLength: 1,
  maxLength: 256,
  description: "The lender's id for its client.",
});

const DateText = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?$',
  errorMessage: 'must be a date as YYYY-MM-DD or an ISO 8601 date-time',
  description: 'YYYY-MM-DD, or an ISO 8601 date-time (UTC when it has no offset).',
});

/**
 * An optional field that may also be sent as `null`, meaning "not given": the Payment Score API
 * types them `Optional[...]`, so a Python client sends `None` (JSON null) for them.
 */
const OrNull = <T extends TSchema>(schema: T) =>
  Type.Optional(
    Type.Union([schema, Type.Null()], {
      ...(schema.errorMessage !== undefined ? { errorMessage: schema.errorMessage } : {}),
      description: schema.description,
    }),
  );

const DayOfMonth = (description: string) =>
  Type.Union(
    [
      Type.Integer({ minimum: 1, maximum: 31 }),
      Type.String({ pattern: '^\\s*(0?[1-9]|[12][0-9]|3[01])\\s*$' }),
    ],
    {
      errorMessage: 'must be a day of the month from 1 to 31',
      description,
    },
  );

/** Bounded so that every running total of a schedule (10,000 payments, 1,200 months) stays finite. */
const Amount = Type.Number({
  exclusiveMinimum: 0,
  maximum: MAX_REPORTED_AMOUNT,
  errorMessage: `must be a number greater than 0 and at most ${MAX_REPORTED_AMOUNT}`,
});

const Movement = Type.Object(
  {
    date: DateText,
    amount: Type.Number({
      minimum: 0,
      maximum: MAX_REPORTED_AMOUNT,
      errorMessage: `must be a number from 0 to ${MAX_REPORTED_AMOUNT}`,
    }),
  },
  { additionalProperties: true },
);

export const DemographicRequest = Type.Object(
  { client_id: ClientId },
  {
    additionalProperties: true,
    description: 'client_id plus any attributes; the active scorecard says which attributes it uses.',
    examples: [
      { client_id: '12345', age: 30, location: 'city', customer_tier: 'tier_2', marital_status: 'married' },
    ],
  },
);

export const DepositRequest = Type.Object(
  {
    client_id: ClientId,
    startDate: DateText,
    endDate: OrNull(DateText),
    expectedDepositDay: DayOfMonth(
      'Day of the month a deposit is expected, as a string ("5") or an integer.',
    ),
    expectedDepositAmount: Amount,
    deposits: Type.Array(Movement, { maxItems: 10_000 }),
  },
  { additionalProperties: true },
);

export const RepaymentRequest = Type.Object(
  {
    client_id: ClientId,
    paymentStartDate: DateText,
    paymentEndDate: OrNull(DateText),
    expectedPaymentDay: DayOfMonth('Day of the month a payment is due, 1-31.'),
    expectedPaymentAmount: Amount,
    payments: Type.Array(Movement, { maxItems: 10_000 }),
    reference: OrNull(
      Type.String({ maxLength: 256, errorMessage: 'must be a string of at most 256 characters' }),
    ),
    scoreBeforeStartDate: OrNull(Type.Boolean({ errorMessage: 'must be a boolean' })),
  },
  { additionalProperties: true },
);

export const ClientDataQuery = Type.Object({
  client_id: ClientId,
  service: Type.Union(
    SERVICES.map((s) => Type.Literal(s)),
    { errorMessage: `must be one of: ${SERVICES.join(', ')}` },
  ),
});

const MonthStatus = Type.String({
  description: 'PAID | PAID_PARTIALLY | OVERPAID | PAID_LATE | OVERDUE | UPCOMING | PENDING | UNKNOWN',
});
const MonthScore = Type.Union([Type.Number(), Type.Null()], {
  description: '0-1; null for months not judged yet.',
});

export const DemographicResult = Type.Object({
  score: Type.Integer(),
  max_score: Type.Integer(),
  missing_attributes: Type.Array(Type.String()),
  extra_attributes: Type.Array(Type.String()),
});

export const DemographicResponse = Type.Composite([
  Type.Object({ client_id: Type.String() }),
  DemographicResult,
]);

export const DepositResult = Type.Object({
  overallScore: Type.Number({ description: 'Mean of the judged months, 0-1, two decimals.' }),
  monthlyScores: Type.Record(Type.String(), MonthScore, { description: '"YYYY-MM" -> 0-1' }),
  onTimeStreak: Type.Integer({ description: 'Longest run of months deposited in full on time.' }),
  lateStreak: Type.Integer({ description: 'Longest run of months late, partial or missed.' }),
  scoredMonths: Type.Array(
    Type.Object({
      month: Type.String(),
      status: MonthStatus,
      score: MonthScore,
      dueDate: Type.String(),
      balance: Type.Number(),
    }),
  ),
  expectedDepositAmount: Type.Number(),
  balance: Type.Number(),
  error: Type.Optional(Type.String({ description: 'START_DATE_IN_FUTURE | NO_SCORED_MONTHS' })),
});

export const DepositResponse = Type.Composite([Type.Object({ client_id: Type.String() }), DepositResult]);

export const RepaymentResult = Type.Object({
  overallScore: Type.Number({ description: 'Mean of the judged months, 0-1, two decimals, capped at 1.' }),
  paidStreak: Type.Integer(),
  overDueStreak: Type.Integer(),
  scoredMonths: Type.Array(
    Type.Object({ status: MonthStatus, score: MonthScore, dueDate: Type.String(), balance: Type.Number() }),
  ),
  expectedPaymentAmount: Type.Number(),
  balance: Type.Number(),
  error: Type.Optional(Type.String({ description: 'START_DATE_IN_FUTURE | NO_SCORED_MONTHS' })),
});

export const RepaymentResponse = Type.Composite([Type.Object({ client_id: Type.String() }), RepaymentResult]);

export const ClientDataEntry = Type.Object({
  // Any key at all: a record's key pattern (`^(.*)$`) would drop a name holding a line break.
  client_data: Type.Object({}, { additionalProperties: true, description: 'The request as it was sent.' }),
  results: Type.Record(Type.String(), Type.Unknown(), {
    description: '{client_id, <service>: the result of that request}',
  }),
  service: Type.String(),
  date_time: Type.String({ description: 'When the request was made, "YYYY-MM-DD HH:MM:SS" UTC.' }),
});

export const CladfyError = Type.Object(
  {
    error: Type.String({ description: 'What went wrong.' }),
    field: Type.Optional(Type.String({ description: 'The request field at fault.' })),
  },
  { $id: 'CladfyError' },
);

/**
 * The scorecard model format, `credence.scorecard/v1` (docs/model-format.md).
 * A model is a points scorecard: characteristics, each with bins, points and a reason code,
 * plus a missing bin; scaling metadata recovers the probability of default from the score.
 */
import { type Static, Type } from '@sinclair/typebox';

export const MODEL_FORMAT = 'credence.scorecard/v1';

/**
 * A bound on points, so that no card's total can overflow: a score is a sum of points, and a
 * total past the largest double (1e308 on each of two bins) is no number at all.
 */
export const MAX_POINTS = 1e9;
const Points = Type.Number({
  minimum: -MAX_POINTS,
  maximum: MAX_POINTS,
  description: 'Points awarded when the value falls in this bin.',
});
const ReasonCode = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'Reason code reported when this bin costs the applicant points; defined in `reasonCodes`.',
});
const Label = Type.String({ maxLength: 200, description: 'Human-readable description of the bin.' });

export const SpecialBinSchema = Type.Object(
  { points: Points, reasonCode: Type.Optional(ReasonCode), label: Type.Optional(Label) },
  { additionalProperties: false },
);

export const NumericBinSchema = Type.Object(
  {
    min: Type.Optional(Type.Number({ description: 'Inclusive lower bound; omitted on the first bin.' })),
    max: Type.Optional(Type.Number({ description: 'Exclusive upper bound; omitted on the last bin.' })),
    points: Points,
    reasonCode: Type.Optional(ReasonCode),
    label: Type.Optional(Label),
  },
  { additionalProperties: false },
);

export const CategoricalBinSchema = Type.Object(
  {
    values: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      minItems: 1,
      description: 'Values that fall in this bin, matched case-insensitively.',
    }),
    points: Points,
    reasonCode: Type.Optional(ReasonCode),
    label: Type.Optional(Label),
  },
  { additionalProperties: false },
);

export const SpecialValueBinSchema = Type.Object(
  {
    values: Type.Array(Type.Number(), {
      minItems: 1,
      maxItems: 50,
      description: 'Sentinel codes (such as -1 for "no account") that take this bin before the intervals.',
    }),
    points: Points,
    reasonCode: Type.Optional(ReasonCode),
    label: Type.Optional(Label),
  },
  { additionalProperties: false },
);

/** What an attribute (and a characteristic) may be called, and a service. */
export const ATTRIBUTE_NAME = { pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 100 } as const;
export const SERVICE_NAME = { pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 } as const;

const AttributeName = Type.String({ minLength: 1, ...ATTRIBUTE_NAME });

export const RatioSchema = Type.Object(
  {
    numerator: AttributeName,
    denominator: AttributeName,
  },
  {
    additionalProperties: false,
    description:
      'A derived value numerator / denominator; missing when either is missing or the denominator is 0.',
  },
);

export const ValidRangeSchema = Type.Object(
  {
    min: Type.Optional(Type.Number({ description: 'The lowest value accepted.' })),
    max: Type.Optional(Type.Number({ description: 'The highest value accepted.' })),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      'The values the attribute can take (for a ratio, each of its two attributes): another value, ' +
      'unless it is a special value, is refused with a 400 naming the attribute.',
  },
);

export const NumericCharacteristicSchema = Type.Object(
  {
    name: AttributeName,
    type: Type.Literal('numeric'),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    attribute: Type.Optional(AttributeName),
    ratio: Type.Optional(RatioSchema),
    valid: Type.Optional(ValidRangeSchema),
    bins: Type.Array(NumericBinSchema, { minItems: 1, maxItems: 100 }),
    special: Type.Optional(Type.Array(SpecialValueBinSchema, { minItems: 1, maxItems: 50 })),
    missing: SpecialBinSchema,
  },
  { additionalProperties: false },
);

export const CategoricalCharacteristicSchema = Type.Object(
  {
    name: AttributeName,
    type: Type.Literal('categorical'),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    attribute: Type.Optional(AttributeName),
    bins: Type.Array(CategoricalBinSchema, { minItems: 1, maxItems: 200 }),
    other: Type.Optional(SpecialBinSchema),
    missing: SpecialBinSchema,
  },
  { additionalProperties: false },
);

export const CharacteristicSchema = Type.Union([
  NumericCharacteristicSchema,
  CategoricalCharacteristicSchema,
]);

export const ScalingSchema = Type.Object(
  {
    baseScore: Type.Number({ description: 'The score at which the good:bad odds equal baseOdds.' }),
    baseOdds: Type.Number({ exclusiveMinimum: 0, description: 'Good:bad odds at baseScore.' }),
    pdo: Type.Number({ exclusiveMinimum: 0, description: 'Points to double the odds.' }),
    basePoints: Type.Optional(
      Type.Number({
        minimum: -MAX_POINTS,
        maximum: MAX_POINTS,
        description: 'Points every applicant starts with (the intercept share); default 0.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const GradeSchema = Type.Object(
  {
    grade: Type.String({ minLength: 1, maxLength: 20 }),
    minScore: Type.Number({ description: 'Lowest score in this grade.' }),
  },
  { additionalProperties: false },
);

export const ScorecardModelSchema = Type.Object(
  {
    format: Type.Literal(MODEL_FORMAT),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    service: Type.String({ minLength: 1, ...SERVICE_NAME }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    scaling: ScalingSchema,
    characteristics: Type.Array(CharacteristicSchema, { minItems: 1, maxItems: 500 }),
    reasonCodes: Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: 500 }), {
      description: 'Every reason code used by a bin, with its description.',
    }),
    grades: Type.Optional(
      Type.Array(GradeSchema, { minItems: 1, maxItems: 50, description: 'Grades from best to worst.' }),
    ),
    topReasons: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 20, description: 'How many reason codes to return; default 3.' }),
    ),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false, $id: 'ScorecardModel' },
);

export type SpecialBin = Static<typeof SpecialBinSchema>;
export type NumericBin = Static<typeof NumericBinSchema>;
export type SpecialValueBin = Static<typeof SpecialValueBinSchema>;
export type CategoricalBin = Static<typeof CategoricalBinSchema>;
export type NumericCharacteristic = Static<typeof NumericCharacteristicSchema>;
export type CategoricalCharacteristic = Static<typeof CategoricalCharacteristicSchema>;
export type Characteristic = Static<typeof CharacteristicSchema>;
export type Scaling = Static<typeof ScalingSchema>;
export type Grade = Static<typeof GradeSchema>;
export type ScorecardModel = Static<typeof ScorecardModelSchema>;

export const DEFAULT_TOP_REASONS = 3;

/** The input attributes a characteristic reads. */
export function attributesOf(c: Characteristic): string[] {
  if (c.type === 'numeric' && c.ratio) return [c.ratio.numerator, c.ratio.denominator];
  return [c.attribute ?? c.name];
}

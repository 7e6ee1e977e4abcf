/**
 * The wire formats of both versions, from their OpenAPI files (test/fixtures/camara): the request
 * body differs (0.3 rejects undeclared properties and caps idDocument at 30 characters), the
 * answers do not.
 */
import { Type } from '@sinclair/typebox';
import type { ApiVersion } from './errors.js';

const PhoneNumber = Type.String({ pattern: '^\\+[1-9][0-9]{4,14}$', maxLength: 16 });
const ScoringType = Type.Union([Type.Literal('gaugeMetric'), Type.Literal('veritasIndex')]);

export function scoringRequest(version: ApiVersion) {
  return version === 'v0.3rc1'
    ? Type.Object(
        {
          idDocument: Type.Optional(Type.String({ maxLength: 30 })),
          phoneNumber: Type.Optional(PhoneNumber),
          scoringType: Type.Optional(ScoringType),
        },
        { additionalProperties: false },
      )
    : Type.Object(
        {
          idDocument: Type.Optional(Type.String()),
          phoneNumber: Type.Optional(PhoneNumber),
          scoringType: Type.Optional(ScoringType),
        },
        { additionalProperties: true },
      );
}

export const ScoringResponse = Type.Object({ scoringType: ScoringType, scoringValue: Type.Integer() });

export const ErrorInfo = Type.Object({
  status: Type.Integer(),
  code: Type.String(),
  message: Type.String(),
});

export const CorrelatorHeader = Type.Object({
  'x-correlator': Type.Optional(
    Type.String({ description: 'Echoed on the response; must match ^[a-zA-Z0-9-_:;.\\/<>{}]{0,256}$' }),
  ),
});

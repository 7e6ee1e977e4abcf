/**
 * The credit-indicator request and response bodies (seeds/td-credit-indicators.txt). The request
 * schema documents the body; the body is checked by request.ts in the documented order. The
 * response schemas are the allowlist of what leaves the server.
 */
import { Type } from '@sinclair/typebox';
import { INDICATOR_COUNTRIES, PACKAGES } from '../../../domain/indicators/packages.js';

export const Credentials = Type.Object({
  partner_code: Type.Optional(Type.String({ description: 'Partner code (`credence partner create`).' })),
  partner_key: Type.Optional(
    Type.String({ description: 'Partner key, shown once when the partner is created.' }),
  ),
});

export const IndicatorRequest = Type.Object(
  {
    id_number: Type.String({
      description: "National id number, e.g. a CURP for Mexico; checked by the country's rule.",
    }),
    id_type: Type.Literal('national_id'),
    country: Type.Union(
      INDICATOR_COUNTRIES.map((c) => Type.Literal(c)),
      { description: 'ISO 3166-1 alpha-2.' },
    ),
    name: Type.String({ maxLength: 200 }),
    phone_number: Type.String({
      description:
        'Without the country code. IN, MX, TH: 10 digits; PH: 11 digits; NG, VN, TH, PK: starting with 0.',
    }),
    app_name: Type.Optional(
      Type.String({
        maxLength: 128,
        description:
          'The app the person applies through. Recorded in the consortium when the tenant is a member.',
      }),
    ),
    package_name: Type.Union(
      PACKAGES.map((p) => Type.Literal(p)),
      {
        description:
          'One package. VN, NG and PK: behavior_analysis_of_repayment or multiplatform_multi_V1_1.',
      },
    ),
  },
  {
    additionalProperties: true,
    examples: [
      {
        id_number: 'BOXW310820HNERXN09',
        id_type: 'national_id',
        country: 'MX',
        name: 'Juan Perez',
        phone_number: '5512345678',
        app_name: 'CashNow',
        package_name: 'multiplatform_multi_V1_1',
      },
    ],
  },
);

export const IndicatorItem = Type.Object({
  indicator_name: Type.String(),
  indicator_status: Type.Integer({
    description:
      '200 success, 201 no record of the phone number and id number, 202 cannot be calculated, 500 system error.',
  }),
  indicator_value: Type.Union([Type.Integer(), Type.Number(), Type.String()], {
    description:
      '-1111: unable to calculate; -999: no record. The type depends on the indicator (docs/td.md).',
  }),
});

export const IndicatorSuccess = Type.Object({
  code: Type.Integer({ description: '200' }),
  message: Type.String({ description: 'Success' }),
  sequence_id: Type.String({ description: 'A unique 32-hex-digit id of the call.' }),
  data: Type.Array(IndicatorItem),
});

export const IndicatorFailure = Type.Object({
  code: Type.Integer({ description: '300-304, 9055, 9060, 9061, 9081, 9500' }),
  sequence_id: Type.String(),
  message: Type.String(),
});

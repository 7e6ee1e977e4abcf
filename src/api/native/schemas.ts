import { Type } from '@sinclair/typebox';

export const ModelInfoSchema = Type.Object(
  {
    id: Type.String(),
    tenant_id: Type.Union([Type.String(), Type.Null()], { description: 'Null for a starter model.' }),
    service: Type.String(),
    version: Type.Integer(),
    name: Type.String(),
    checksum: Type.String({ description: 'SHA-256 of the canonical model document.' }),
    source: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    roles: Type.Array(Type.String(), { description: 'champion and/or challenger, for the calling tenant.' }),
  },
  { $id: 'ModelInfo' },
);

export const SubjectSchema = Type.Object(
  {
    id: Type.String(),
    partner_id: Type.String({ description: "The tenant's own id for the person." }),
    identifiers: Type.Array(
      Type.Object({
        kind: Type.String({ description: 'phone | email | national_id' }),
        masked: Type.String({ description: 'Enough of the value to recognise it: +2547******78.' }),
      }),
    ),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Subject' },
);

export const ScoreRunSchema = Type.Object(
  {
    id: Type.String(),
    subject_id: Type.String(),
    service: Type.String(),
    dialect: Type.String(),
    model_id: Type.Union([Type.String(), Type.Null()]),
    model_version: Type.Union([Type.Integer(), Type.Null()]),
    request_id: Type.Union([Type.String(), Type.Null()]),
    input: Type.Unknown({ description: 'The request as received.' }),
    result: Type.Unknown({
      description: 'The full result: scorecard points, PD, grade, reasons, contributions.',
    }),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'ScoreRun' },
);

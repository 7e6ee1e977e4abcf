import { Type } from '@sinclair/typebox';
import { SERVICE_NAME } from '../../domain/scoring/model-format.js';
import type { IdPrefix } from '../../lib/ids.js';
import type { ModelPerformance } from '../../services/model-performance.js';
import type { ModelInfo } from '../../services/model-registry.js';

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
    purpose: Type.Union([Type.String(), Type.Null()], {
      description:
        'The purpose the caller declared for the score: the `dpv:` scope of a CAMARA access token, such as `dpv:CreditChecking`; null when none was declared.',
    }),
    input: Type.Unknown({ description: 'The request as received.' }),
    result: Type.Unknown({
      description: 'The full result: scorecard points, PD, grade, reasons, contributions.',
    }),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'ScoreRun' },
);

const Num = Type.Number();
const Band = {
  min: Type.Union([Type.Number(), Type.Null()], { description: 'Inclusive; null on the lowest band.' }),
  max: Type.Union([Type.Number(), Type.Null()], { description: 'Exclusive; null on the highest band.' }),
};

export const ModelPerformanceSchema = Type.Object(
  {
    model: Type.Object({
      id: Type.String(),
      service: Type.String(),
      version: Type.Integer(),
      name: Type.String(),
    }),
    definition: Type.Object({
      bad: Type.String(),
      good: Type.String(),
      window_days: Type.Integer({
        description: 'Outcomes count when observed within this many days after the run.',
      }),
    }),
    period: Type.Object({ from: Type.Union([Type.String(), Type.Null()]), to: Type.String() }),
    runs: Type.Object({
      champion: Type.Integer({ description: 'Runs the model answered.' }),
      challenger: Type.Integer({ description: 'Runs the model scored in shadow.' }),
    }),
    subjects: Type.Integer(),
    goods: Type.Integer(),
    bads: Type.Integer(),
    unlabelled: Type.Integer({ description: 'Subjects without a good or bad outcome in their window.' }),
    discrimination: Type.Union([Type.Object({ auc: Num, gini: Num, ks: Num }), Type.Null()], {
      description: 'Null until both goods and bads have been observed.',
    }),
    roc: Type.Array(Type.Object({ fpr: Num, tpr: Num }), {
      description:
        'The ROC curve (share of goods refused against share of bads refused, lowest scores first); empty until both goods and bads are observed.',
    }),
    bands: Type.Array(
      Type.Object({
        ...Band,
        rows: Type.Integer(),
        bads: Type.Integer(),
        bad_rate: Type.Union([Num, Type.Null()]),
      }),
    ),
    stability: Type.Object({
      recent_days: Type.Integer(),
      from: Type.String(),
      scores: Type.Integer(),
      psi: Type.Union([
        Type.Object({
          total: Num,
          verdict: Type.Union([Type.Literal('stable'), Type.Literal('watch'), Type.Literal('shift')]),
          bands: Type.Array(Type.Object({ ...Band, expected: Num, actual: Num, psi: Num })),
        }),
        Type.Null(),
      ]),
      note: Type.Union([Type.String(), Type.Null()]),
    }),
  },
  { $id: 'ModelPerformance' },
);

/** A model as the native API and the CLI's `--json` show it. */
export const modelWire = (m: ModelInfo) => ({
  id: m.id,
  tenant_id: m.tenantId,
  service: m.service,
  version: m.version,
  name: m.name,
  checksum: m.checksum,
  source: m.source,
  created_at: m.createdAt,
  roles: m.roles,
});

const band = (b: { min: number | undefined; max: number | undefined }) => ({
  min: b.min ?? null,
  max: b.max ?? null,
});

export const performanceWire = (p: ModelPerformance) => ({
  model: p.model,
  definition: { bad: p.definition.bad, good: p.definition.good, window_days: p.definition.windowDays },
  period: p.period,
  runs: p.runs,
  subjects: p.subjects,
  goods: p.goods,
  bads: p.bads,
  unlabelled: p.unlabelled,
  discrimination: p.discrimination,
  roc: p.roc,
  bands: p.bands.map((b) => ({ ...band(b), rows: b.rows, bads: b.bads, bad_rate: b.badRate })),
  stability: {
    recent_days: p.stability.recentDays,
    from: p.stability.from,
    scores: p.stability.scores,
    psi: p.stability.psi && {
      total: p.stability.psi.total,
      verdict: p.stability.psi.verdict,
      bands: p.stability.psi.bands.map((b) => ({
        ...band(b),
        expected: b.expected,
        actual: b.actual,
        psi: b.psi,
      })),
    },
    note: p.stability.note,
  },
});

/** `after`, a page's cursor: the id of the last item of the page before, and nothing else. */
export const Cursor = (prefix: IdPrefix) =>
  Type.Optional(
    Type.String({
      pattern: `^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`,
      description: 'The next_cursor of the previous page.',
      errorMessage: 'must be the next_cursor of a previous page',
    }),
  );

/** `service` as a filter: a service name as models name it (a name no model has finds nothing). */
export const ServiceFilter = Type.Optional(
  Type.String({
    ...SERVICE_NAME,
    errorMessage: 'must be a service name: lower-case letters, digits and _, at most 64',
  }),
);

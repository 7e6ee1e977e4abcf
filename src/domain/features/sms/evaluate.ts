/**
 * Precision and recall of the parser per field, over a labelled corpus. A field counts as
 * predicted when the parser set it and as expected when the label has it; a prediction is right
 * when the values agree (amounts to the cent). A wrong value is both a false positive and a false
 * negative.
 */
import type { ParsedSms } from './types.js';

export const EVALUATED_FIELDS = [
  'category',
  'type',
  'amount',
  'currency',
  'balance',
  'merchant',
  'reference',
  'account',
  'channel',
] as const;
export type EvaluatedField = (typeof EVALUATED_FIELDS)[number];

export interface LabelledSms {
  id: string;
  body: string;
  expected: Partial<Record<EvaluatedField, string | number>>;
}

export interface FieldScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export interface Evaluation {
  messages: number;
  fields: Record<EvaluatedField, FieldScore>;
  /** The ids of the messages with at least one field wrong or missing, for whoever adds a template. */
  misses: { id: string; field: EvaluatedField; expected: unknown; actual: unknown }[];
}

const same = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 0.005 : a === b;

export function evaluateParser(
  corpus: readonly LabelledSms[],
  parse: (body: string) => ParsedSms,
): Evaluation {
  const counts = Object.fromEntries(EVALUATED_FIELDS.map((f) => [f, { tp: 0, fp: 0, fn: 0 }])) as Record<
    EvaluatedField,
    { tp: number; fp: number; fn: number }
  >;
  const misses: Evaluation['misses'] = [];
  for (const m of corpus) {
    const parsed = parse(m.body) as unknown as Record<string, unknown>;
    for (const f of EVALUATED_FIELDS) {
      const want = m.expected[f];
      const got = parsed[f];
      const c = counts[f];
      if (got !== undefined && want !== undefined && same(got, want)) c.tp++;
      else {
        if (got !== undefined) c.fp++;
        if (want !== undefined) c.fn++;
        if (got !== undefined || want !== undefined)
          misses.push({ id: m.id, field: f, expected: want, actual: got });
      }
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  const fields = Object.fromEntries(
    EVALUATED_FIELDS.map((f) => {
      const { tp, fp, fn } = counts[f];
      return [
        f,
        {
          truePositives: tp,
          falsePositives: fp,
          falseNegatives: fn,
          precision: ratio(tp, tp + fp),
          recall: ratio(tp, tp + fn),
        },
      ];
    }),
  ) as Record<EvaluatedField, FieldScore>;
  return { messages: corpus.length, fields, misses };
}

/**
 * What the starter demographic scorecard is fitted from: credit_data mapped to the attribute names a
 * lender sends to the Cladfy demographic_score API, the candidate characteristics, and the expert
 * characteristics the data does not hold.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Characteristic } from '../../src/domain/scoring/model-format.js';
import type { BinningOptions } from '../../src/domain/training/bins.js';
import { DEFAULT_POINTS_SCALING, type ScoredCharacteristic } from '../../src/domain/training/points.js';
import type { TrainingVariable } from '../../src/domain/training/woe-model.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA = 'data/credit_data.csv';
export const MODEL = 'models/demographic_score.json';
export const DOC = 'docs/models/demographic-score.md';
export const REPORT = 'docs/models/demographic-score.html';

export const SEED = 42;
export const TRAIN_SHARE = 0.7;
/** Overrides of the default binning settings: none, the defaults suit some 3,000 training rows. */
export const BINNING: Partial<BinningOptions> = {};
export const SCALING = DEFAULT_POINTS_SCALING;

/**
 * Characteristics the card keeps whatever their significance: the Cladfy documentation lists `age`
 * and `marital_status` among the demographic attributes a scorecard reports as missing, so the card
 * must read them. Kept characteristics still face the sign check (docs/models/demographic-score.md).
 */
export const KEEP: readonly string[] = ['age', 'marital_status'];

/** One credit_data row in the attribute names a lender sends to the Cladfy demographic_score API. */
export interface Applicant {
  age?: number;
  years_at_job?: number;
  marital_status?: string;
  residence_type?: string;
  employment_type?: string;
  monthly_net_income?: number;
  expenses?: number;
  assets?: number;
  debt?: number;
}

export const MARITAL: Readonly<Record<string, string>> = {
  single: 'single',
  married: 'married',
  widow: 'widowed',
  separated: 'separated',
  divorced: 'divorced',
};
export const HOME: Readonly<Record<string, string>> = {
  rent: 'rent',
  owner: 'owner',
  parents: 'parents',
  priv: 'private',
  other: 'other',
  // credit_data does not document "ignore", and 20 rows are too few for a bin of their own.
  ignore: 'other',
};
export const JOB: Readonly<Record<string, string>> = {
  fixed: 'salaried',
  freelance: 'self_employed',
  partime: 'part_time',
  others: 'other',
};

/** Other spellings a lender may plausibly send, scored in the same bin as the category. */
export const SYNONYMS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  marital_status: { widowed: ['widow', 'widower'] },
  residence_type: { rent: ['renting', 'rented', 'tenant'], owner: ['own', 'owned', 'homeowner'] },
  employment_type: {
    salaried: ['employed', 'permanent'],
    self_employed: ['self-employed', 'freelance', 'business_owner'],
    part_time: ['part-time', 'casual'],
  },
};

export interface Candidate {
  variable: TrainingVariable;
  description: string;
  source: Pick<ScoredCharacteristic, 'attribute' | 'ratio' | 'valid'>;
  reasonCode: string;
  missingReasonCode: string;
}

export const REASON_CODES: Readonly<Record<string, string>> = {
  DM01: 'Age band associated with higher risk',
  DM02: 'Short time with current employer',
  DM03: 'Marital status associated with higher risk',
  DM04: 'Residence type associated with higher risk',
  DM05: 'Employment type associated with higher risk',
  DM06: 'High expenses relative to income',
  DM07: 'High debt relative to income',
  DM08: 'Low assets relative to income',
  DM09: 'Number of dependants',
  DM10: 'Level of education',
  DM11: 'Location associated with higher risk',
  DM12: 'Customer tier below the highest',
  DM90: 'Information the scorecard uses was not provided',
};

export async function loadApplicants(): Promise<{ applicants: Applicant[]; target: number[] }> {
  const rows: Record<string, string>[] = parse(await readFile(join(ROOT, DATA)), {
    columns: true,
    skip_empty_lines: true,
  });
  const applicants: Applicant[] = [];
  const target: number[] = [];
  for (const [i, r] of rows.entries()) {
    if (r.Status !== 'good' && r.Status !== 'bad')
      throw new Error(`${DATA} row ${i + 2}: Status "${r.Status}"`);
    target.push(r.Status === 'bad' ? 1 : 0);
    applicants.push(
      omitMissing({
        age: number(r.Age),
        years_at_job: number(r.Seniority),
        marital_status: category(r.Marital, MARITAL, i),
        residence_type: category(r.Home, HOME, i),
        employment_type: category(r.Job, JOB, i),
        monthly_net_income: number(r.Income),
        expenses: number(r.Expenses),
        assets: number(r.Assets),
        debt: number(r.Debt),
      }),
    );
  }
  return { applicants, target };
}

/** credit_data writes a missing value as an empty cell; a 0 is a real zero. */
function number(cell: string | undefined): number | undefined {
  if (cell === undefined || cell.trim() === '') return undefined;
  const n = Number(cell);
  if (!Number.isFinite(n)) throw new Error(`not a number: "${cell}"`);
  return n;
}

function category(
  cell: string | undefined,
  map: Readonly<Record<string, string>>,
  row: number,
): string | undefined {
  if (cell === undefined || cell.trim() === '') return undefined;
  const mapped = map[cell];
  if (mapped === undefined) throw new Error(`${DATA} row ${row + 2}: unexpected value "${cell}"`);
  return mapped;
}

function omitMissing(a: Applicant): Applicant {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Applicant;
}

/** As the engine derives a ratio: missing when either side is missing or the denominator is 0. */
function ratio(n: number | undefined, d: number | undefined): number | null {
  return n === undefined || d === undefined || d === 0 ? null : n / d;
}

/** The `valid` range of counts, durations and amounts. */
const NON_NEGATIVE = { min: 0 };

export function candidates(applicants: readonly Applicant[]): Candidate[] {
  const attr = (name: keyof Applicant, description: string, reasonCode: string): Candidate => {
    const values = applicants.map((a) => a[name] ?? null);
    const variable: TrainingVariable =
      typeof values.find((v) => v !== null) === 'string'
        ? { name, type: 'categorical', values: values as (string | null)[] }
        : { name, type: 'numeric', values: values as (number | null)[] };
    // Ages and years cannot be negative: such a value is refused, not scored in the lowest bin.
    const source = variable.type === 'numeric' ? { valid: NON_NEGATIVE } : {};
    return { variable, description, source, reasonCode, missingReasonCode: 'DM90' };
  };
  const toIncome = (
    name: string,
    numerator: 'expenses' | 'debt' | 'assets',
    description: string,
    code: string,
  ) => ({
    variable: {
      name,
      type: 'numeric' as const,
      values: applicants.map((a) => ratio(a[numerator], a.monthly_net_income)),
    },
    description,
    // A negative amount would make the lowest, best ratio: refused instead.
    source: { ratio: { numerator, denominator: 'monthly_net_income' }, valid: NON_NEGATIVE },
    reasonCode: code,
    missingReasonCode: 'DM90',
  });
  return [
    attr('age', 'Age in years.', 'DM01'),
    attr('years_at_job', 'Years with the current employer.', 'DM02'),
    attr('marital_status', 'Marital status.', 'DM03'),
    attr('residence_type', 'Type of residence: rent, owner, parents, private, other.', 'DM04'),
    attr('employment_type', 'Type of employment: salaried, self_employed, part_time, other.', 'DM05'),
    toIncome('expense_to_income', 'expenses', 'Monthly expenses / monthly net income.', 'DM06'),
    toIncome('debt_to_income', 'debt', 'Total debt / monthly net income.', 'DM07'),
    toIncome('assets_to_income', 'assets', 'Total assets / monthly net income.', 'DM08'),
  ];
}

/**
 * Characteristics a lender can send but credit_data does not hold. Their points are set by
 * judgement (rationale in the doc), kept within about +-10 so the fitted part dominates, and
 * neutral (0) when missing, which leaves the fitted model's PD unchanged; an unrecognised value
 * scores like the riskiest listed one, so that an unknown value never beats the true one.
 */
export const EXPERT: readonly Characteristic[] = [
  {
    name: 'dependants',
    type: 'numeric',
    description: 'Number of dependants (expert points, not fitted).',
    valid: { min: 0 },
    bins: [
      { max: 1, points: 3, reasonCode: 'DM09', label: '0' },
      { min: 1, max: 3, points: 2, reasonCode: 'DM09', label: '1-2' },
      { min: 3, max: 5, points: -2, reasonCode: 'DM09', label: '3-4' },
      { min: 5, points: -6, reasonCode: 'DM09', label: '5 or more' },
    ],
    missing: { points: 0, reasonCode: 'DM90', label: 'missing' },
  },
  {
    name: 'education',
    type: 'categorical',
    description: 'Highest level of education (expert points, not fitted).',
    bins: [
      {
        values: ['university', 'bachelor', 'bachelors', 'masters', 'postgraduate', 'doctorate', 'phd'],
        points: 5,
      },
      { values: ['diploma', 'college', 'vocational'], points: 3, reasonCode: 'DM10' },
      { values: ['secondary', 'high_school'], points: 0, reasonCode: 'DM10' },
      { values: ['none', 'primary'], points: -5, reasonCode: 'DM10' },
    ],
    other: { points: -5, reasonCode: 'DM10', label: 'other: as the riskiest bin' },
    missing: { points: 0, reasonCode: 'DM90', label: 'missing' },
  },
  {
    name: 'location',
    type: 'categorical',
    description: 'Where the applicant lives (expert points, not fitted).',
    bins: [
      { values: ['city', 'urban'], points: 2 },
      { values: ['town', 'peri_urban', 'peri-urban'], points: 1, reasonCode: 'DM11' },
      { values: ['rural'], points: -2, reasonCode: 'DM11' },
    ],
    other: { points: -2, reasonCode: 'DM11', label: 'other: as the riskiest bin' },
    missing: { points: 0, reasonCode: 'DM90', label: 'missing' },
  },
  {
    name: 'customer_tier',
    type: 'categorical',
    description: "The lender's own customer tier, tier_1 best (expert points, not fitted).",
    bins: [
      { values: ['tier_1'], points: 8 },
      { values: ['tier_2'], points: 2, reasonCode: 'DM12' },
      { values: ['tier_3'], points: -6, reasonCode: 'DM12' },
    ],
    other: { points: -6, reasonCode: 'DM12', label: 'other: as the riskiest bin' },
    missing: { points: 0, reasonCode: 'DM90', label: 'missing' },
  },
];

export const EXPERT_RATIONALE: Readonly<Record<string, string>> = {
  dependants:
    'Each dependant is a claim on the same income, so what is left to repay with falls as the household ' +
    'grows. One or two is common and barely moves the score; five or more is a real squeeze.',
  education:
    'Education stands in for earning power and for the stability of employment, which the fitted part ' +
    'sees only through years_at_job and employment_type. It overlaps with those, so the points are small.',
  location:
    'Urban applicants more often have regular cash income and are cheaper to reach when a payment is ' +
    'missed; rural incomes are more often seasonal and exposed to the weather. The spread is deliberately ' +
    'narrow because location can stand in for ethnicity or region, which a lender must not score on.',
  customer_tier:
    "The lender's own tiering sums up what it already knows of the customer (relationship, past " +
    'repayment, deposits) and is likely the most predictive of the four, so it gets the widest range. A ' +
    'lender whose tiers mean something else should re-weight it.',
};

/**
 * A seeded generator of application data for the model-building benchmark: 20 features with the
 * shapes real files have (skewed amounts, zero-inflated debt, missing values, a sentinel code,
 * categories with a long tail, two pure-noise columns), and an outcome drawn from a known
 * logistic model, about one bad in five.
 */
import fs from 'node:fs';
import { sigmoid } from '../src/domain/training/logistic.js';
import { mulberry32, type Random, randomNormal } from '../src/domain/training/random.js';

export const SYNTHETIC_COLUMNS = [
  'bad',
  'age',
  'monthly_income',
  'expense_ratio',
  'debt',
  'years_at_job',
  'accounts',
  'balance',
  'days_since_payment',
  'utilisation',
  'loan_amount',
  'term_months',
  'dependants',
  'mobile_money_volume',
  'airtime_topups',
  'noise_uniform',
  'noise_normal',
  'region',
  'employment',
  'home',
  'channel',
] as const;

const REGIONS = ['nairobi', 'mombasa', 'kisumu', 'nakuru', 'eldoret', 'thika', 'nyeri', 'machakos'];
const REGION_WEIGHTS = [0.38, 0.16, 0.12, 0.1, 0.09, 0.07, 0.05, 0.03];
const REGION_EFFECT = [-0.1, 0.05, 0.15, 0, 0.1, -0.05, 0.2, 0.3];
const EMPLOYMENT = ['salaried', 'self_employed', 'casual', 'unemployed', 'student'];
const EMPLOYMENT_WEIGHTS = [0.45, 0.3, 0.15, 0.06, 0.04];
const EMPLOYMENT_EFFECT = [-0.35, 0.05, 0.35, 0.8, 0.4];
const HOME = ['owner', 'rent', 'family', 'other'];
const HOME_WEIGHTS = [0.3, 0.45, 0.2, 0.05];
const HOME_EFFECT = [-0.3, 0.1, 0.05, 0.35];
const CHANNEL = ['agent', 'app', 'ussd'];
const CHANNEL_WEIGHTS = [0.3, 0.5, 0.2];

function pick(random: Random, weights: readonly number[]): number {
  let u = random();
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** One row as CSV fields, and its outcome. */
function row(random: Random): string {
  const age = 18 + Math.floor(57 * random() ** 1.4);
  const incomeMissing = random() < 0.05;
  const income = Math.round(Math.exp(10 + 0.7 * randomNormal(random)));
  const expenseRatio = Math.min(1.5, Math.max(0.05, 0.45 + 0.2 * randomNormal(random)));
  const debt = random() < 0.6 ? 0 : Math.round(income * Math.exp(0.5 + randomNormal(random)));
  const tenure = Math.floor(-Math.log(1 - random()) * 4);
  const accounts = Math.floor(-Math.log(1 - random()) * 2);
  const noAccount = accounts === 0 && random() < 0.5;
  const balance = noAccount ? -1 : Math.round(Math.exp(8 + 1.2 * randomNormal(random)));
  const daysSince = Math.floor(-Math.log(1 - random()) * 25);
  const utilMissing = random() < 0.08;
  const util = Math.min(1, Math.max(0, random() ** 0.7));
  const loan = Math.round(Math.exp(9.5 + 0.8 * randomNormal(random)));
  const term = [6, 12, 24, 36][pick(random, [0.3, 0.4, 0.2, 0.1])]!;
  const dependants = Math.floor(-Math.log(1 - random()) * 1.5);
  const mmMissing = random() < 0.1;
  const mm = Math.round(Math.exp(9 + randomNormal(random)));
  const topups = Math.floor(-Math.log(1 - random()) * 8);
  const region = pick(random, REGION_WEIGHTS);
  const employment = pick(random, EMPLOYMENT_WEIGHTS);
  const home = pick(random, HOME_WEIGHTS);
  const channel = pick(random, CHANNEL_WEIGHTS);
  const noiseU = random();
  const noiseN = randomNormal(random);

  const logit =
    -1.1 -
    0.025 * (age - 35) -
    0.35 * (Math.log(income) - 10) * (incomeMissing ? 0 : 1) +
    (incomeMissing ? 0.6 : 0) +
    1.2 * (expenseRatio - 0.45) +
    (debt > 0 ? 0.25 : 0) -
    0.08 * Math.min(tenure, 15) -
    0.1 * Math.min(accounts, 5) +
    (noAccount ? 0.4 : -0.05 * (Math.log(Math.max(balance, 1)) - 8)) +
    0.012 * Math.min(daysSince, 90) +
    (utilMissing ? 0.2 : 1.1 * (util - 0.5)) +
    0.15 * (Math.log(loan) - 9.5) +
    0.01 * (term - 12) +
    0.06 * Math.min(dependants, 6) -
    (mmMissing ? -0.15 : 0.18 * (Math.log(mm) - 9)) -
    0.02 * Math.min(topups, 30) +
    REGION_EFFECT[region]! +
    EMPLOYMENT_EFFECT[employment]! +
    HOME_EFFECT[home]!;
  const bad = random() < sigmoid(logit) ? 1 : 0;
  return [
    bad,
    age,
    incomeMissing ? '' : income,
    r2(expenseRatio),
    debt,
    tenure,
    accounts,
    balance,
    daysSince,
    utilMissing ? '' : r2(util),
    loan,
    term,
    dependants,
    mmMissing ? '' : mm,
    topups,
    r2(noiseU),
    r2(noiseN),
    REGIONS[region],
    EMPLOYMENT[employment],
    HOME[home],
    CHANNEL[channel],
  ].join(',');
}

/** Writes `rows` synthetic rows with a header to `file`; the same seed writes the same bytes. */
export function writeSyntheticCsv(file: string, rows: number, seed: number): void {
  const random = mulberry32(seed);
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, `${SYNTHETIC_COLUMNS.join(',')}\n`);
    let chunk: string[] = [];
    for (let i = 0; i < rows; i++) {
      chunk.push(row(random));
      if (chunk.length === 10_000) {
        fs.writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length) fs.writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    fs.closeSync(fd);
  }
}

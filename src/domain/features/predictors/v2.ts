/**
 * Predictor set version 2: everything in version 1, unchanged, plus 90-day flows and the ratio of
 * spending to income.
 */
import { type PredictorDefinition, predictor as p } from './definition.js';
import { PREDICTORS_V1 } from './v1.js';

const round2 = (n: number) => Math.round(n * 100) / 100;

export const PREDICTORS_V2: readonly PredictorDefinition[] = Object.freeze([
  ...PREDICTORS_V1,
  p('amt_credit_txn_c90', 'number', 'c90', 'Amount credited in the last 90 days', (b) =>
    round2(b.flows.creditAmtC90),
  ),
  p('amt_debit_txn_c90', 'number', 'c90', 'Amount debited in the last 90 days', (b) =>
    round2(b.flows.debitAmtC90),
  ),
  p(
    'ratio_debit_credit_c30',
    'number',
    'c30',
    'Amount debited over amount credited in the last 30 days',
    (b) => (b.flows.creditAmtC30 === 0 ? null : round2(b.flows.debitAmtC30 / b.flows.creditAmtC30)),
  ),
  p(
    'cnt_loan_apps_installed_c90',
    'integer',
    'c90',
    'Lending apps installed in the last 90 days',
    (b) => b.apps.loanInstalledC90,
  ),
]);

/**
 * Predictor set version 1. Frozen: a later version may add predictors but never changes what a
 * version-1 predictor means or returns (a test holds this against recorded values).
 * docs/finbox-predictors.md is written from this list.
 */
import type { AppCategory } from '../apps/categories.js';
import { FINANCE_GENRE } from '../apps/categories.js';
import type { FeatureBase } from './base.js';
import { type PredictorDefinition, predictor as p } from './definition.js';
import { estimateIncome, salaryCountWithin } from './income.js';
import { daysBetween } from './windows.js';

const round2 = (n: number) => Math.round(n * 100) / 100;
const apps = (b: FeatureBase, c: AppCategory) => b.apps.byCategory.get(c) ?? 0;
const flag = (x: boolean) => (x ? 1 : 0);
const accountsOf = (b: FeatureBase, type: string) => [...b.accounts.values()].filter((a) => a.type === type);
/** Bank and wallet accounts with a known balance, newest message first. */
const balances = (b: FeatureBase) =>
  [...b.accounts.values()]
    .filter((a) => a.type !== 'credit-card' && a.latestBalance !== null)
    .sort((x, y) => y.latestTime - x.latestTime);
const monthly = (name: string, what: string, pick: (b: FeatureBase) => number[], integer: boolean) =>
  [1, 2, 3].map((m) =>
    p(`${name}_m${m}`, integer ? 'integer' : 'number', `m${m}`, `${what}, calendar month ${m} back`, (b) =>
      round2(pick(b)[m]!),
    ),
  );

export const PREDICTORS_V1: readonly PredictorDefinition[] = Object.freeze([
  // SMS volume
  p('all_sms_count', 'integer', 'all', 'SMS synced', (b) => b.sms.count),
  p('cnt_sms_c30', 'integer', 'c30', 'SMS received in the last 30 days', (b) => b.sms.c30),
  p(
    'cnt_financial_sms',
    'integer',
    'all',
    'SMS from banks, wallets, cards and lenders about money',
    (b) => b.sms.financial,
  ),
  p(
    'cnt_transactional_sms_c30',
    'integer',
    'c30',
    'Financial SMS in the last 30 days',
    (b) => b.sms.transactionalC30,
  ),
  p('cnt_otp_sms_c30', 'integer', 'c30', 'OTP messages in the last 30 days', (b) => b.sms.otpC30),
  p(
    'cnt_promotional_sms_c30',
    'integer',
    'c30',
    'Promotional messages in the last 30 days',
    (b) => b.sms.promotionalC30,
  ),
  p('sms_history_days', 'integer', 'all', 'Days from the oldest SMS to the snapshot', (b) =>
    b.sms.firstTime === null ? null : daysBetween(b.sms.firstTime, b.asOf),
  ),
  // Accounts and balances
  p(
    'cnt_savings_accounts',
    'integer',
    'all',
    'Distinct bank accounts seen in SMS',
    (b) => accountsOf(b, 'bank').length,
  ),
  p(
    'cnt_wallet_accounts',
    'integer',
    'all',
    'Distinct wallets seen in SMS (M-Pesa, GCash, Paytm...)',
    (b) => accountsOf(b, 'ewallet').length,
  ),
  p(
    'cnt_credit_cards',
    'integer',
    'all',
    'Distinct credit cards seen in SMS',
    (b) => accountsOf(b, 'credit-card').length,
  ),
  p(
    'acc0_latest_balance',
    'number',
    'snapshot',
    'Latest balance of the account messaged most recently',
    (b) => balances(b)[0]?.latestBalance ?? null,
  ),
  p(
    'acc1_latest_balance',
    'number',
    'snapshot',
    'Latest balance of the account messaged second most recently',
    (b) => balances(b)[1]?.latestBalance ?? null,
  ),
  p(
    'total_latest_balance',
    'number',
    'snapshot',
    'Sum of the latest balances of all bank and wallet accounts',
    (b) => {
      const xs = balances(b);
      return xs.length === 0 ? null : round2(xs.reduce((s, a) => s + (a.latestBalance ?? 0), 0));
    },
  ),
  p(
    'avg_balance_c30',
    'number',
    'c30',
    'Mean balance reported by bank and wallet SMS in the last 30 days',
    (b) =>
      b.flows.balancesC30.length === 0
        ? null
        : round2(b.flows.balancesC30.reduce((s, x) => s + x, 0) / b.flows.balancesC30.length),
  ),
  p('min_balance_c30', 'number', 'c30', 'Lowest balance reported in the last 30 days', (b) =>
    b.flows.balancesC30.length === 0 ? null : Math.min(...b.flows.balancesC30),
  ),
  // Flows
  ...monthly('amt_credit_txn', 'Amount credited', (b) => b.flows.creditAmt, false),
  ...monthly('amt_debit_txn', 'Amount debited', (b) => b.flows.debitAmt, false),
  ...monthly('cnt_credit_txn', 'Credit transactions', (b) => b.flows.creditCnt, true),
  ...monthly('cnt_debit_txn', 'Debit transactions', (b) => b.flows.debitCnt, true),
  p('amt_credit_txn_c30', 'number', 'c30', 'Amount credited in the last 30 days', (b) =>
    round2(b.flows.creditAmtC30),
  ),
  p('amt_debit_txn_c30', 'number', 'c30', 'Amount debited in the last 30 days', (b) =>
    round2(b.flows.debitAmtC30),
  ),
  p(
    'cnt_credit_txn_c30',
    'integer',
    'c30',
    'Credit transactions in the last 30 days',
    (b) => b.flows.creditCntC30,
  ),
  p(
    'cnt_debit_txn_c30',
    'integer',
    'c30',
    'Debit transactions in the last 30 days',
    (b) => b.flows.debitCntC30,
  ),
  p('avg_debit_amt_c30', 'number', 'c30', 'Mean debit amount in the last 30 days', (b) =>
    b.flows.debitCntC30 === 0 ? null : round2(b.flows.debitAmtC30 / b.flows.debitCntC30),
  ),
  p(
    'max_credit_amt_c90',
    'number',
    'c90',
    'Largest single credit in the last 90 days',
    (b) => b.flows.maxCreditC90,
  ),
  p('cnt_upi_txn_c30', 'integer', 'c30', 'UPI transactions in the last 30 days', (b) => b.flows.upiC30),
  p('cnt_card_txn_c30', 'integer', 'c30', 'Card transactions in the last 30 days', (b) => b.flows.cardC30),
  p(
    'cnt_cash_withdrawal_c30',
    'integer',
    'c30',
    'ATM and agent cash withdrawals in the last 30 days',
    (b) => b.flows.atmC30,
  ),
  // Income
  p(
    'calculated_income',
    'number',
    'm1-m3',
    'Estimated monthly income (docs/finbox.md#decisions, Income)',
    (b) => estimateIncome(b).income,
  ),
  p(
    'calculated_income_confidence',
    'number',
    'm1-m3',
    'Confidence of the income estimate, 0-1',
    (b) => estimateIncome(b).confidence,
  ),
  p(
    'salaried_flag',
    'flag',
    'm1-m3',
    '1 when salary was credited in at least two of the last three complete months',
    (b) => flag(estimateIncome(b).salaryMonths >= 2),
  ),
  p('cnt_salary_txns', 'integer', 'c90', 'Salary credits in the last 90 days', (b) =>
    salaryCountWithin(b, 90),
  ),
  p(
    'last_salary_amt',
    'number',
    'all',
    'Amount of the latest salary credit',
    (b) => b.salaries.at(-1)?.amount ?? null,
  ),
  p('days_since_last_salary', 'integer', 'all', 'Days since the latest salary credit', (b) => {
    const last = b.salaries.at(-1);
    return last ? daysBetween(last.time, b.asOf) : null;
  }),
  // Credit behaviour
  p(
    'cnt_loan_approved_c30',
    'integer',
    'c30',
    'Loan approval messages in the last 30 days',
    (b) => b.credit.approvedC30,
  ),
  p(
    'cnt_loan_disbursed_c30',
    'integer',
    'c30',
    'Loan disbursals in the last 30 days',
    (b) => b.credit.disbursedC30,
  ),
  p('amt_loan_disbursed_c90', 'number', 'c90', 'Amount of loans disbursed in the last 90 days', (b) =>
    round2(b.credit.disbursedAmtC90),
  ),
  p(
    'cnt_emi_txn_c30',
    'integer',
    'c30',
    'EMI and instalment debits in the last 30 days',
    (b) => b.credit.emiC30,
  ),
  p('amt_emi_c30', 'number', 'c30', 'Amount of EMI and instalment debits in the last 30 days', (b) =>
    round2(b.credit.emiAmtC30),
  ),
  p(
    'cnt_overdue_sms_c30',
    'integer',
    'c30',
    'Overdue notices in the last 30 days',
    (b) => b.credit.overdueC30,
  ),
  p(
    'cnt_overdue_sms_c90',
    'integer',
    'c90',
    'Overdue notices in the last 90 days',
    (b) => b.credit.overdueC90,
  ),
  ...[1, 2, 3].map((m) =>
    p(
      `auto_debit_bounce_m${m}`,
      'integer',
      `m${m}`,
      `Auto-debit (NACH, ECS, mandate) bounces, calendar month ${m} back`,
      (b) => b.credit.bounceByMonth[m]!,
    ),
  ),
  p('cnt_bounce_c90', 'integer', 'c90', 'Auto-debit bounces in the last 90 days', (b) => b.credit.bounceC90),
  p(
    'cnt_missed_payment_c30',
    'integer',
    'c30',
    'Missed-payment notices in the last 30 days',
    (b) => b.credit.missedC30,
  ),
  p('max_dpd', 'integer', 'all', 'Most days past due any overdue notice named', (b) => b.credit.maxDpd),
  p(
    'cnt_distinct_lenders_c90',
    'integer',
    'c90',
    'Distinct lenders in loan messages in the last 90 days',
    (b) => b.credit.lendersC90.size,
  ),
  // Apps
  p('cnt_apps', 'integer', 'snapshot', 'Installed apps, system apps excluded', (b) => b.apps.count),
  p(
    'cnt_apps_genre_finance',
    'integer',
    'snapshot',
    'Installed finance apps: lending, banking, wallet, investment, finance',
    (b) => [...FINANCE_GENRE].reduce((s, c) => s + apps(b, c), 0),
  ),
  p('cnt_loan_apps', 'integer', 'snapshot', 'Installed lending apps', (b) => apps(b, 'lending')),
  p('cnt_banking_apps', 'integer', 'snapshot', 'Installed banking apps', (b) => apps(b, 'banking')),
  p('cnt_wallet_apps', 'integer', 'snapshot', 'Installed wallet apps', (b) => apps(b, 'wallet')),
  p('cnt_gambling_apps', 'integer', 'snapshot', 'Installed betting and gambling apps', (b) =>
    apps(b, 'gambling'),
  ),
  p('cnt_social_apps', 'integer', 'snapshot', 'Installed social apps', (b) => apps(b, 'social')),
  p('cnt_dating_apps', 'integer', 'snapshot', 'Installed dating apps', (b) => apps(b, 'dating')),
  p(
    'cnt_productivity_apps',
    'integer',
    'snapshot',
    'Installed productivity and job apps',
    (b) => apps(b, 'productivity') + apps(b, 'jobs'),
  ),
  p(
    'cnt_apps_installed_c30',
    'integer',
    'c30',
    'Apps installed in the last 30 days, system apps excluded',
    (b) => b.apps.installedC30,
  ),
  p(
    'cnt_loan_apps_installed_c30',
    'integer',
    'c30',
    'Lending apps installed in the last 30 days',
    (b) => b.apps.loanInstalledC30,
  ),
  p(
    'days_since_first_install',
    'integer',
    'snapshot',
    'Days since the oldest install of an app that is not a system app: how long the phone has been used',
    (b) => (b.apps.firstInstall === null ? null : daysBetween(b.apps.firstInstall, b.asOf)),
  ),
  p(
    'days_since_last_install',
    'integer',
    'snapshot',
    'Days since the newest install of an app that is not a system app',
    (b) => (b.apps.lastInstall === null ? null : daysBetween(b.apps.lastInstall, b.asOf)),
  ),
  // Calls and contacts
  p('cnt_contacts', 'integer', 'snapshot', 'Contacts on the phone', (b) => b.contacts),
  p('cnt_calls_c30', 'integer', 'c30', 'Calls in the last 30 days', (b) => b.calls.c30),
  p(
    'cnt_incoming_calls_c30',
    'integer',
    'c30',
    'Incoming calls in the last 30 days',
    (b) => b.calls.incomingC30,
  ),
  p(
    'cnt_outgoing_calls_c30',
    'integer',
    'c30',
    'Outgoing calls in the last 30 days',
    (b) => b.calls.outgoingC30,
  ),
  p('cnt_missed_calls_c30', 'integer', 'c30', 'Missed calls in the last 30 days', (b) => b.calls.missedC30),
  p(
    'total_call_duration_c30',
    'integer',
    'c30',
    'Seconds on the phone in the last 30 days',
    (b) => b.calls.durationC30,
  ),
  p(
    'avg_call_duration_c30',
    'number',
    'c30',
    'Mean length of the answered calls of the last 30 days, seconds',
    (b) => (b.calls.answeredC30 === 0 ? null : round2(b.calls.durationC30 / b.calls.answeredC30)),
  ),
  p(
    'cnt_distinct_numbers_c30',
    'integer',
    'c30',
    'Distinct numbers called or calling in the last 30 days',
    (b) => b.calls.numbersC30.size,
  ),
  p('call_history_days', 'integer', 'all', 'Days from the oldest call to the snapshot', (b) =>
    b.calls.first === null ? null : daysBetween(b.calls.first, b.asOf),
  ),
  // Device and fraud signals
  p('brand', 'string', 'snapshot', 'Phone brand', (b) => b.device?.brand ?? null),
  p('model', 'string', 'snapshot', 'Phone model', (b) => b.device?.model ?? null),
  p('os_version', 'string', 'snapshot', 'Android version', (b) => b.device?.osVersion ?? null),
  p('total_ram', 'integer', 'snapshot', 'RAM, MB', (b) => b.device?.ramMb ?? null),
  p('total_storage', 'integer', 'snapshot', 'Storage, MB', (b) => b.device?.storageMb ?? null),
  p(
    'rooted_flag',
    'flag',
    'snapshot',
    '1 when the device reports root access or a root app is installed',
    (b) => flag(b.device?.rooted === true || apps(b, 'root') > 0),
  ),
  p('root_app_flag', 'flag', 'snapshot', '1 when a root-management app is installed', (b) =>
    flag(apps(b, 'root') > 0),
  ),
  p('fake_gps_app_flag', 'flag', 'snapshot', '1 when a fake-GPS app is installed', (b) =>
    flag(apps(b, 'fake_gps') > 0),
  ),
  p(
    'cloner_app_flag',
    'flag',
    'snapshot',
    '1 when an app cloner (parallel space, dual apps) is installed',
    (b) => flag(apps(b, 'cloner') > 0),
  ),
  p('mock_location_flag', 'flag', 'all', '1 when any location fix came from a mock provider', (b) =>
    flag(b.locations.mock),
  ),
  p('cnt_location_fixes_c30', 'integer', 'c30', 'Location fixes in the last 30 days', (b) => b.locations.c30),
  p(
    'cnt_permissions_granted',
    'integer',
    'snapshot',
    'Android permissions the customer granted',
    (b) => b.permissions.size,
  ),
  p('sms_permission_flag', 'flag', 'snapshot', '1 when READ_SMS was granted', (b) =>
    flag(b.permissions.has('android.permission.READ_SMS') || b.permissions.has('READ_SMS')),
  ),
]);

/**
 * India: bank, card, wallet, lender and telecom messages in INR ("Rs.", "Rs", "INR", "₹"), over
 * UPI, NEFT, IMPS, RTGS and cards. One row per message format; adding a bank is adding a row.
 */
import type { CountryTemplates } from '../types.js';
import { AMOUNT, BALANCE } from './shared.js';

const RS = '(?:Rs\\.?|INR|₹)\\s?';
const ACCT = '(?:a\\/c|acct|account|A\\/c no\\.?)\\s*(?:no\\.?\\s*)?[X*]*(?<account>\\d{3,6})';

export const INDIA: CountryTemplates = {
  country: 'IN',
  currency: 'INR',
  templates: [
    {
      name: 'loan_disbursed',
      keywords: ['loan', 'disbursed'],
      pattern: new RegExp(
        `loan of ${RS}${AMOUNT} has been disbursed to your ${ACCT}.*?Loan A\\/c (?<reference>\\w+)\\W+(?<merchant>[\\w .&]+?)\\.?$`,
        'is',
      ),
      category: 'loan_disbursal',
      type: 'credit',
      accountType: 'bank',
      channel: 'loan',
    },
    {
      name: 'emi_debited',
      keywords: ['emi', 'debited'],
      pattern: new RegExp(
        `EMI of ${RS}${AMOUNT} for Loan A\\/c (?<reference>\\w+) has been debited from your ${ACCT}(?:.*\\s[-–]\\s*(?<merchant>[\\w .&]+?)\\.?$)?`,
        'is',
      ),
      category: 'emi',
      type: 'debit',
      accountType: 'bank',
      channel: 'auto-debit',
    },
    {
      name: 'emi_overdue',
      keywords: ['overdue'],
      pattern: new RegExp(
        `(?:EMI|payment|dues?) of ${RS}${AMOUNT} (?:for|on) (?:your )?loan (?<reference>\\w+) is overdue(?: by (?<dpd>\\d+) days?)?(?:.*\\s[-–]\\s*(?<merchant>[\\w .&]+?)\\.?$)?`,
        'is',
      ),
      category: 'overdue',
      accountType: 'loan',
    },
    {
      name: 'auto_debit_bounce',
      keywords: ['bounce'],
      pattern: new RegExp(
        `(?:NACH|auto-debit|ECS|mandate)[^.]*? of ${RS}${AMOUNT} for loan (?<reference>\\w+) has bounced(?:.*\\s[-–]\\s*(?<merchant>[\\w .&]+?)\\.?$)?`,
        'is',
      ),
      category: 'bounce',
      accountType: 'loan',
      channel: 'auto-debit',
    },
    {
      name: 'missed_payment',
      keywords: ['missed'],
      pattern: new RegExp(
        `missed your (?:payment|EMI|minimum due) of ${RS}${AMOUNT} due on \\S+ for (?<merchant>[\\w .&]+?) (?<kind>Card|Loan) [X*]*(?<account>\\d{3,6})`,
        'i',
      ),
      category: 'missed_payment',
      accountType: 'credit-card',
      accountKind: { CARD: 'credit-card', LOAN: 'loan' },
    },
    {
      name: 'loan_approved',
      keywords: ['approved'],
      pattern: new RegExp(
        `loan application with (?<merchant>[\\w .&]+?) for ${RS}${AMOUNT} (?:has been|is) approved`,
        'i',
      ),
      category: 'loan_approved',
      accountType: 'loan',
    },
    {
      name: 'upi_debit',
      keywords: ['debited', 'upi'],
      pattern: new RegExp(
        `^${RS}${AMOUNT} debited from ${ACCT} on \\S+ to VPA (?<merchant>\\S+?)\\s?\\(UPI Ref No\\.? (?<reference>\\d+)\\)`,
        'i',
      ),
      category: 'transaction',
      type: 'debit',
      accountType: 'bank',
      channel: 'upi',
    },
    {
      name: 'account_credited',
      keywords: ['credited'],
      pattern: new RegExp(
        `${ACCT} (?:is|has been) credited (?:with|by) ${RS}${AMOUNT} on \\S+ (?:by|via) (?<channel>NEFT|IMPS|RTGS|UPI|cash deposit|cheque)(?: from (?<merchant>.+?))?\\.\\s*(?=Ref|Avl|(?!.*\\b(?:Ref|Avl)\\b))(?:Ref(?: no\\.?)?:? (?<reference>\\w+)\\.?\\s*)?(?:Avl\\.? Bal:? ${RS}${BALANCE})?`,
        'i',
      ),
      category: 'transaction',
      type: 'credit',
      accountType: 'bank',
    },
    {
      name: 'salary_credited',
      keywords: ['credited', 'salary'],
      pattern: new RegExp(
        `${RS}${AMOUNT} credited to your ${ACCT} on \\S+ towards SALARY from (?<merchant>.+?)\\.\\s*Avl\\.? Bal:? ${RS}${BALANCE}`,
        'i',
      ),
      category: 'salary',
      type: 'credit',
      accountType: 'bank',
      channel: 'neft',
    },
    {
      name: 'transfer_debited',
      keywords: ['debited'],
      pattern: new RegExp(
        `(?<channel>IMPS|NEFT|RTGS) of ${RS}${AMOUNT} debited from ${ACCT} to (?<merchant>.+?) on \\S+\\.\\s*(?:IMPS|NEFT|RTGS) Ref no\\.? (?<reference>\\w+)\\.?\\s*(?:Bal:? ${RS}${BALANCE})?`,
        'i',
      ),
      category: 'transaction',
      type: 'debit',
      accountType: 'bank',
    },
    {
      name: 'card_spent',
      keywords: ['spent', 'card'],
      pattern: new RegExp(
        `${RS}${AMOUNT} spent on (?:[\\w ]+? )?(?:(?<kind>Credit|Debit) )?Card [X*]*(?<account>\\d{4}) on \\S+ at (?<merchant>.+?)\\.\\s*Avl\\.? (?:Lmt|Limit|Bal):? ${RS}${BALANCE}`,
        'i',
      ),
      category: 'transaction',
      type: 'debit',
      // A debit card spends from the bank account whose balance the message gives.
      accountType: 'credit-card',
      accountKind: { CREDIT: 'credit-card', DEBIT: 'bank' },
      channel: 'card',
    },
    {
      name: 'atm_withdrawal',
      keywords: ['withdrawn', 'atm'],
      pattern: new RegExp(
        `${RS}${AMOUNT} withdrawn (?:from|at) ATM (?<merchant>.+?) from ${ACCT} on \\S+\\.\\s*Avl\\.? Bal:? ${RS}${BALANCE}`,
        'i',
      ),
      category: 'transaction',
      type: 'debit',
      accountType: 'bank',
      channel: 'atm',
    },
    {
      name: 'wallet_paid',
      keywords: ['paid', 'balance'],
      pattern: new RegExp(
        `^Paid ${RS}${AMOUNT} to (?<merchant>.+?) from (?<channel>Paytm|PhonePe|Mobikwik|Amazon Pay) (?:Wallet|Balance)\\.\\s*Updated Balance:? ${RS}${BALANCE}\\.\\s*Txn ID:? (?<reference>\\w+)`,
        'i',
      ),
      category: 'transaction',
      type: 'debit',
      accountType: 'ewallet',
    },
    {
      name: 'recharge',
      keywords: ['recharge', 'successful'],
      pattern: new RegExp(
        `^Recharge of ${RS}${AMOUNT} (?:is )?successful for \\d+.*?-\\s*(?<merchant>Jio|Airtel|Vi|BSNL)\\b`,
        'is',
      ),
      category: 'transaction',
      type: 'debit',
      channel: 'recharge',
    },
  ],
};

/**
 * Nigeria: the multi-line bank alerts of GTBank, Access, First Bank, Zenith and others in NGN
 * ("Amt: NGN5,000.00 CR"), and lenders' messages ("N20,000").
 */
import type { CountryTemplates } from '../types.js';
import { AMOUNT, BALANCE } from './shared.js';

const NGN = '(?:NGN|N|₦)\\s?';
const DIRECTION = { CR: 'credit', DR: 'debit', CREDIT: 'credit', DEBIT: 'debit' } as const;

export const NIGERIA: CountryTemplates = {
  country: 'NG',
  currency: 'NGN',
  templates: [
    {
      name: 'alert_amt_crdr',
      keywords: ['acct', 'amt', 'bal'],
      pattern: new RegExp(
        `Acct:\\s*[\\d*]*?(?<account>\\d{3,4})\\s+Amt:\\s*${NGN}${AMOUNT}\\s+(?<direction>CR|DR)\\s+Desc:\\s*(?<merchant>\\S.*?)\\s+Avail Bal:\\s*${NGN}${BALANCE}`,
        'i',
      ),
      category: 'transaction',
      accountType: 'bank',
      direction: DIRECTION,
    },
    {
      name: 'alert_direction_first',
      keywords: ['amt', 'acc', 'bal'],
      pattern: new RegExp(
        `^(?<direction>Credit|Debit)\\s+Amt:\\s*${NGN}${AMOUNT}\\s+Acc:\\s*\\d*?(?<account>\\d{3,4})\\**\\s+Desc:\\s*(?<merchant>\\S.*?)\\s+Date:\\s*\\S+(?: \\S+)?\\s+Avail Bal:\\s*${NGN}${BALANCE}`,
        'i',
      ),
      category: 'transaction',
      accountType: 'bank',
      direction: DIRECTION,
    },
    {
      name: 'alert_txn_line',
      keywords: ['txn', 'amt', 'bal'],
      pattern: new RegExp(
        `Txn:\\s*(?<direction>Credit|Debit)\\s+Ac:\\s*\\S*?(?<account>\\d{3,4})\\s+Amt:\\s*${NGN}${AMOUNT}\\s+Des:\\s*(?<merchant>\\S.*?)\\s+Date:\\s*\\S+\\s+Bal:\\s*${NGN}${BALANCE}`,
        'i',
      ),
      category: 'transaction',
      accountType: 'bank',
      direction: DIRECTION,
    },
    {
      name: 'loan_disbursed',
      keywords: ['loan', 'disbursed'],
      pattern: new RegExp(
        `Your (?<merchant>[\\w .&-]+?) loan of ${NGN}${AMOUNT} has been disbursed to your account ending (?<account>\\d{3,4})`,
        'i',
      ),
      category: 'loan_disbursal',
      type: 'credit',
      accountType: 'bank',
      channel: 'loan',
    },
    {
      name: 'loan_overdue',
      keywords: ['overdue'],
      pattern: new RegExp(
        `your loan of ${NGN}${AMOUNT} from (?<merchant>[\\w .&-]+?) is overdue(?: by (?<dpd>\\d+) days?)?`,
        'i',
      ),
      category: 'overdue',
      accountType: 'loan',
    },
  ],
};

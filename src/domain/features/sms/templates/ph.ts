/**
 * The Philippines: GCash wallet messages in PHP ("You have received PHP 500.00 of GCash from ..."),
 * GLoan and GGives credit.
 */
import type { CountryTemplates } from '../types.js';
import { AMOUNT, BALANCE } from './shared.js';

const PHP = '(?:PHP|P|₱)\\s?';
const REF = 'Ref\\.? No\\.? (?<reference>\\d+)';

export const PHILIPPINES: CountryTemplates = {
  country: 'PH',
  currency: 'PHP',
  templates: [
    {
      name: 'gcash_received',
      keywords: ['received', 'gcash'],
      pattern: new RegExp(
        `You have received ${PHP}${AMOUNT} of GCash from (?<merchant>.+?)(?: w/ MSG: .*?)?\\.\\s*Your new balance is ${PHP}${BALANCE}\\.\\s*${REF}`,
        'i',
      ),
      category: 'transaction',
      type: 'credit',
      accountType: 'ewallet',
      channel: 'gcash',
    },
    {
      name: 'gcash_sent',
      keywords: ['sent'],
      pattern: new RegExp(
        `You have sent ${PHP}${AMOUNT} (?:of GCash )?to (?<merchant>.+?) on \\S+(?: \\S+ [AP]M)?\\.\\s*${REF}\\.\\s*Your new balance is ${PHP}${BALANCE}`,
        'i',
      ),
      category: 'transaction',
      type: 'debit',
      accountType: 'ewallet',
      channel: 'gcash',
    },
    {
      name: 'gcash_paid',
      keywords: ['paid', 'gcash'],
      pattern: new RegExp(
        `You have paid ${PHP}${AMOUNT} via GCash to (?<merchant>.+?) on \\S+\\.\\s*${REF}`,
        'i',
      ),
      category: 'transaction',
      type: 'debit',
      accountType: 'ewallet',
      channel: 'merchant',
    },
    {
      name: 'gcash_cash_in',
      keywords: ['cash'],
      pattern: new RegExp(
        `You have successfully cashed-in ${PHP}${AMOUNT} to your GCash wallet via (?<merchant>.+?)\\.\\s*Your new balance is ${PHP}${BALANCE}\\.\\s*${REF}`,
        'i',
      ),
      category: 'transaction',
      type: 'credit',
      accountType: 'ewallet',
      channel: 'cash-in',
    },
    {
      name: 'gloan_credited',
      keywords: ['credited'],
      pattern: new RegExp(
        `Your (?<merchant>GLoan|GGives|GCredit) of ${PHP}${AMOUNT} has been credited to your GCash wallet\\.\\s*${REF}`,
        'i',
      ),
      category: 'loan_disbursal',
      type: 'credit',
      accountType: 'ewallet',
      channel: 'loan',
    },
    {
      name: 'ggives_overdue',
      keywords: ['overdue'],
      pattern: new RegExp(
        `Your (?<merchant>GLoan|GGives|GCredit) payment of ${PHP}${AMOUNT} is overdue(?: by (?<dpd>\\d+) days?)?`,
        'i',
      ),
      category: 'overdue',
      accountType: 'loan',
    },
  ],
};

/**
 * Kenya: Safaricom M-Pesa confirmations ("QGH7XK2LPA Confirmed. You have received Ksh1,500.00
 * from ..."), Fuliza and M-Shwari loans, and lenders' notices in KES.
 */
import type { CountryTemplates } from '../types.js';
import { AMOUNT, BALANCE } from './shared.js';

const KSH = '(?:Ksh|KES)\\s?';
const REF = '^(?<reference>[A-Z0-9]{10}) [Cc]onfirmed\\.?\\s*';
const NEW_BALANCE = `\\.?\\s*New M-PESA balance is ${KSH}${BALANCE}`;
const WHEN = 'on \\d{1,2}\\/\\d{1,2}\\/\\d{2,4} at \\d{1,2}:\\d{2}\\s?[AP]M';

export const KENYA: CountryTemplates = {
  country: 'KE',
  currency: 'KES',
  templates: [
    {
      name: 'mpesa_received',
      keywords: ['confirmed', 'received'],
      pattern: new RegExp(
        `${REF}You have received ${KSH}${AMOUNT} from (?<merchant>.+?) ${WHEN}${NEW_BALANCE}`,
      ),
      category: 'transaction',
      type: 'credit',
      accountType: 'ewallet',
      channel: 'mpesa',
    },
    {
      name: 'mpesa_paybill',
      keywords: ['confirmed', 'for account'],
      pattern: new RegExp(
        `${REF}${KSH}${AMOUNT} sent to (?<merchant>.+?) for account (?<account>\\S+) ${WHEN}${NEW_BALANCE}`,
      ),
      category: 'transaction',
      type: 'debit',
      accountType: 'ewallet',
      channel: 'paybill',
    },
    {
      name: 'mpesa_sent',
      keywords: ['confirmed', 'sent to'],
      pattern: new RegExp(`${REF}${KSH}${AMOUNT} sent to (?<merchant>.+?) ${WHEN}${NEW_BALANCE}`),
      category: 'transaction',
      type: 'debit',
      accountType: 'ewallet',
      channel: 'mpesa',
    },
    {
      name: 'mpesa_buy_goods',
      keywords: ['confirmed', 'paid to'],
      pattern: new RegExp(`${REF}${KSH}${AMOUNT} paid to (?<merchant>.+?)\\.? ${WHEN}${NEW_BALANCE}`),
      category: 'transaction',
      type: 'debit',
      accountType: 'ewallet',
      channel: 'till',
    },
    {
      name: 'mpesa_withdraw',
      keywords: ['confirmed', 'withdraw'],
      pattern: new RegExp(`${REF}${WHEN}\\s*Withdraw ${KSH}${AMOUNT} from (?<merchant>.+?)${NEW_BALANCE}`),
      category: 'transaction',
      type: 'debit',
      accountType: 'ewallet',
      channel: 'cash',
    },
    {
      name: 'mpesa_airtime',
      keywords: ['confirmed', 'airtime'],
      pattern: new RegExp(`${REF}You bought ${KSH}${AMOUNT} of airtime ${WHEN}${NEW_BALANCE}`),
      category: 'transaction',
      type: 'debit',
      accountType: 'ewallet',
      channel: 'airtime',
    },
    {
      name: 'fuliza',
      keywords: ['fuliza'],
      pattern: new RegExp(`${REF}(?<merchant>Fuliza) M-PESA amount is ${KSH}${AMOUNT}\\.`),
      category: 'loan_disbursal',
      type: 'credit',
      accountType: 'ewallet',
      channel: 'loan',
    },
    {
      name: 'mshwari_loan',
      keywords: ['m-shwari', 'disbursed'],
      pattern: new RegExp(
        `${REF}Your (?<merchant>M-Shwari) loan of ${KSH}${AMOUNT} has been approved and disbursed to your M-PESA account.*?M-PESA balance is ${KSH}${BALANCE}`,
      ),
      category: 'loan_disbursal',
      type: 'credit',
      accountType: 'ewallet',
      channel: 'loan',
    },
    {
      name: 'loan_overdue',
      keywords: ['overdue'],
      pattern: new RegExp(
        `your (?<merchant>[\\w .&-]+?) loan of ${KSH}${AMOUNT} is overdue(?: by (?<dpd>\\d+) days?)?`,
        'i',
      ),
      category: 'overdue',
      accountType: 'loan',
    },
  ],
};

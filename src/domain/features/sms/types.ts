/** What the SMS parser extracts from one message (docs/finbox.md#sms-parsing). */

export type SmsCategory =
  | 'transaction'
  | 'salary'
  | 'loan_disbursal'
  | 'emi'
  | 'loan_approved'
  | 'overdue'
  | 'bounce'
  | 'missed_payment'
  | 'otp'
  | 'promotional'
  | 'other';

export type AccountType = 'bank' | 'ewallet' | 'credit-card' | 'loan';
export type TransactionType = 'credit' | 'debit';

export interface ParsedSms {
  category: SmsCategory;
  /** ISO 3166 country of the template that matched. */
  country?: string;
  /** The template that matched: `<country>.<name>`. */
  template?: string;
  /** Money moved: set for transactions, salaries, disbursals and EMIs. */
  type?: TransactionType;
  /** In major units of `currency`; for notices (overdue, bounce), the amount the notice names. */
  amount?: number;
  currency?: string;
  /** The balance (or, for a card, the available limit) after the transaction. */
  balance?: number;
  channel?: string;
  merchant?: string;
  reference?: string;
  /** The account's visible digits (usually the last four). */
  account?: string;
  accountType?: AccountType;
  /** Days past due, when an overdue notice says. */
  dpd?: number;
}

/**
 * One message format. `keywords` are lower-case words the message must all contain: a cheap test
 * before the regular expression runs, which keeps the parser fast. The pattern's named groups
 * (`amount`, `balance`, `merchant`, `reference`, `account`, `channel`, `dpd`, `direction`) fill
 * the fields; the fixed fields fill the rest.
 */
export interface SmsTemplate {
  name: string;
  keywords: readonly string[];
  pattern: RegExp;
  category: SmsCategory;
  type?: TransactionType;
  accountType?: AccountType;
  channel?: string;
  /** For templates whose direction is a word in the message (`CR`/`DR`, `Credit`/`Debit`). */
  direction?: Readonly<Record<string, TransactionType>>;
  /**
   * For templates whose account type is a word in the message (`Debit Card`, `Loan`), captured as
   * `kind`; `accountType` when the word is absent.
   */
  accountKind?: Readonly<Record<string, AccountType>>;
}

export interface CountryTemplates {
  country: string;
  currency: string;
  templates: readonly SmsTemplate[];
}

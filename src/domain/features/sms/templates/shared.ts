/** Pieces the template tables share. Amounts keep their digit grouping (1,00,000 or 100,000). */
export const amount = (group: string) => `(?<${group}>\\d[\\d,]*(?:\\.\\d{1,2})?)`;
export const AMOUNT = amount('amount');
/**
 * A balance may be negative, an overdrawn account: written with a minus (`NGN-2,150.00`,
 * `Rs -5,000.00`) or followed by DR (`NGN2,150.00 DR`, `Rs.12,000.00 Dr`).
 */
export const BALANCE = `(?<balance_minus>-\\s?)?${amount('balance')}(?:\\s?(?<balance_dr>DR|Dr|dr)(?![A-Za-z]))?`;

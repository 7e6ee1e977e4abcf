/** Pieces the template tables share. Amounts keep their digit grouping (1,00,000 or 100,000). */
export const amount = (group: string) => `(?<${group}>\\d[\\d,]*(?:\\.\\d{1,2})?)`;
export const AMOUNT = amount('amount');
export const BALANCE = amount('balance');

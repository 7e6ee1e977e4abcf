/**
 * Thai personal identification number (เลขประจำตัวประชาชน): 13 digits, the last a mod-11 check
 * digit over the first twelve weighted 13 down to 2: (11 - sum mod 11) mod 10. The first digit
 * is the person's category (Department of Provincial Administration): 1 to 8, and 0 for the
 * people registered without Thai nationality or without a registration status, who carry the
 * same 13-digit number on their own card. There is no category 9.
 *
 * Valid: `3100600445635`, `1234545678781`, `0100600445631` (category 0). Invalid:
 * `3100600445636` (check digit), `9100600445634` (category 9), `310060044563` (12 digits).
 */

export function thaiIdCheckDigit(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (first12.charCodeAt(i) - 48) * (13 - i);
  return String((11 - (sum % 11)) % 10);
}

export function isValidThaiId(digits: string): boolean {
  return /^[0-8]\d{12}$/.test(digits) && digits[12] === thaiIdCheckDigit(digits);
}

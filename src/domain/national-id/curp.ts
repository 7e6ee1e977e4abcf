/**
 * CURP (Clave Única de Registro de Población), Mexico's personal id: 18 characters.
 *
 *   position  1-4   letters from the surnames and given name (the 2nd a vowel, or X)
 *             5-10  date of birth, YYMMDD
 *             11    sex: H (hombre), M (mujer), X (non-binary, issued since 2023)
 *             12-13 state of birth (NE: born abroad)
 *             14-16 the first inner consonant of each name part
 *             17    homonym differentiator: a digit for births up to 1999, a letter from 2000
 *             18    check digit
 *
 * Source: Instructivo Normativo para la Asignación de la CURP (DOF, 18 October 2021). The check
 * digit weighs the first 17 characters 18 down to 2 over the alphabet 0-9, A-N, Ñ, O-Z and takes
 * (10 - sum mod 10) mod 10.
 *
 * Valid: `BOXW310820HNERXN09`, `HEGG560427MVZRRL04`. Invalid: `BOXW310820HNERXN08` (check
 * digit), `BOXW311320HNERXN09` (month 13), `BOXW310820HZZRXN09` (no state ZZ).
 */

const ALPHABET = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

const STATES = new Set(
  'AS BC BS CC CH CL CM CS DF DG GR GT HG JC MC MN MS NE NL NT OC PL QR QT SL SP SR TC TL TS VZ YN ZS'.split(
    ' ',
  ),
);

const SHAPE = /^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d$/;

export function curpCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * (18 - i);
  return String((10 - (sum % 10)) % 10);
}

/** The CURP's date of birth as [year, month, day], or undefined when it is not a calendar date. */
export function curpBirthDate(curp: string): [number, number, number] | undefined {
  const yy = Number(curp.slice(4, 6));
  const year = (/\d/.test(curp[16]!) ? 1900 : 2000) + yy;
  const month = Number(curp.slice(6, 8));
  const day = Number(curp.slice(8, 10));
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return undefined;
  return [year, month, day];
}

/** Whether an upper-cased CURP without separators is well formed, dated, placed and checked. */
export function isValidCurp(curp: string): boolean {
  return (
    SHAPE.test(curp) &&
    STATES.has(curp.slice(11, 13)) &&
    curpBirthDate(curp) !== undefined &&
    curp[17] === curpCheckDigit(curp)
  );
}

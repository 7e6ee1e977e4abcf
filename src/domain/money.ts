/**
 * Amounts of a prepaid balance: decimals with at most four places (a call may cost 0.0125),
 * held as whole ten-thousandths so that sums are exact.
 */
import { invalidInput } from './errors.js';

export const AMOUNT_SCALE = 10_000;
/** The most a price, a top-up or a balance holds: large enough for any, exact in a double. */
export const MAX_AMOUNT = 100_000_000_000 * AMOUNT_SCALE;

/**
 * The largest amount of money a request may report (a loan, an instalment, a deposit), in any
 * currency: far above any real one, and small enough that the sums of thousands of them (a
 * schedule's running totals, a tenant's monitoring) stay finite and whole in a double.
 */
export const MAX_REPORTED_AMOUNT = 1e12;

// Any number of whole digits: a number too large is told so by the bound below, not by the format.
const AMOUNT_TEXT = /^\d+(\.\d{1,4})?$/;

/** Parses `12`, `0.25`, `1000.1234` into ten-thousandths; refuses negatives and more than 4 places. */
export function parseAmount(text: string, field: string, options: { positive?: boolean } = {}): number {
  const t = text.trim();
  if (!AMOUNT_TEXT.test(t)) {
    const least = options.positive ? 'greater than 0' : 'of at least 0';
    throw invalidInput(field, `${field} must be a number ${least} with at most 4 decimal places, not "${t}"`);
  }
  const [whole = '0', fraction = ''] = t.split('.');
  const units = Number(whole) * AMOUNT_SCALE + Number(fraction.padEnd(4, '0'));
  if (units > MAX_AMOUNT)
    throw invalidInput(field, `${field} is too large (at most ${toDecimal(MAX_AMOUNT)})`);
  if (options.positive && units === 0) throw invalidInput(field, `${field} must be greater than 0`);
  return units;
}

/** Ten-thousandths as a plain decimal number: 125000 -> 12.5. */
export const toDecimal = (units: number): number => units / AMOUNT_SCALE;

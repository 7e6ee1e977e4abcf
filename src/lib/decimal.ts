/**
 * A number written in decimal, as a spreadsheet or a person writes one: `12`, `-0.5`, `.5`,
 * `1e3`. JavaScript's `Number()` also reads `0x10`, `0b11`, `0o7` and `Infinity`, which no data
 * file means; those are not numbers here. Surrounding spaces are allowed.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The value of `text` when it is a finite decimal number; undefined otherwise. */
export function decimalNumber(text: string): number | undefined {
  const t = text.trim();
  if (!DECIMAL.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

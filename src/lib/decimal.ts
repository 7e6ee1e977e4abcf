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

/**
 * `n` rounded to `places` decimals as on paper: halves away from zero, on the number as written
 * to 15 significant digits (as many as a double always holds: amounts up to 10¹² keep their
 * cents). A sum of amounts that binary cannot hold exactly (1000.10 ten times is
 * 10001.000000000002) drifts in its last digits, and that drift must not decide a half.
 */
export function roundDecimal(n: number, places: number): number {
  if (!Number.isFinite(n) || n === 0) return n + 0;
  const [mantissa, exponent] = Math.abs(Number(n.toPrecision(15)))
    .toExponential()
    .split('e') as [string, string];
  const shifted = Math.round(Number(`${mantissa}e${Number(exponent) + places}`));
  const rounded = Number(`${shifted}e-${places}`);
  return (n < 0 ? -rounded : rounded) + 0;
}

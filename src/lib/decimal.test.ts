import { describe, expect, it } from 'vitest';
import { decimalNumber, roundDecimal } from './decimal.js';

describe('decimalNumber', () => {
  it.each([
    ['12', 12],
    [' -0.5 ', -0.5],
    ['+3', 3],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['2.5E-2', 0.025],
  ])('reads %j', (text, value) => {
    expect(decimalNumber(text)).toBe(value);
  });

  it.each([
    '',
    ' ',
    '0x10',
    '0b11',
    '0o7',
    'Infinity',
    '-Infinity',
    'NaN',
    '1e400',
    '1,5',
    '12abc',
    '.',
    'e3',
  ])('refuses %j', (text) => {
    expect(decimalNumber(text)).toBeUndefined();
  });
});

describe('roundDecimal', () => {
  it('rounds halves away from zero as on paper, whatever binary makes of them', () => {
    expect(roundDecimal(0.425, 2)).toBe(0.43);
    expect(roundDecimal(1.005, 2)).toBe(1.01); // 1.00499999999999989... in binary
    expect(roundDecimal(2.675, 2)).toBe(2.68);
    expect(roundDecimal(-0.005, 2)).toBe(-0.01);
    expect(roundDecimal(0.424, 2)).toBe(0.42);
  });
  it('lets no drift of a sum decide a half', () => {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += 1000.1;
    expect(sum).not.toBe(10001); // 10001.000000000002
    expect(roundDecimal((0.5 * 500.05) / sum, 2)).toBe(0.03);
  });
  it('keeps the cents of amounts up to 10^12', () => {
    expect(roundDecimal(1 - 999_999_999_999 * 2, 2)).toBe(-1_999_999_999_997);
    expect(roundDecimal(0.5 - 12_345_678_901.25, 2)).toBe(-12_345_678_900.75);
    expect(roundDecimal(123_456_789_012.34 - 250_000_000_000, 2)).toBe(-126_543_210_987.66);
  });
  it('keeps zero a plain zero', () => {
    expect(Object.is(roundDecimal(-1e-17, 2), 0)).toBe(true);
    expect(Object.is(roundDecimal(-0, 2), 0)).toBe(true);
  });
});

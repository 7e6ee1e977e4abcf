import { describe, expect, it } from 'vitest';
import { decimalNumber } from './decimal.js';

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

import { describe, expect, it } from 'vitest';
import { assertPackageUsable } from './metered-package.js';
import { parseAmount, toDecimal } from './money.js';

describe('amounts', () => {
  it('parses decimals with up to four places into ten-thousandths', () => {
    expect(parseAmount('12', 'amount')).toBe(120_000);
    expect(parseAmount('0.0125', 'amount')).toBe(125);
    expect(parseAmount(' 1000.5 ', 'amount')).toBe(10_005_000);
    expect(toDecimal(125)).toBe(0.0125);
  });
  it.each(['-1', '1.23456', 'abc', '', '1e3', '0x10'])('refuses %j', (t) => {
    expect(() => parseAmount(t, 'amount')).toThrow(/amount must be a number/);
  });
  it.each(['99999999999999', '100000000000.0001', '1'.repeat(400)])('says %j is too large', (t) => {
    expect(() => parseAmount(t, 'amount')).toThrow(/amount is too large \(at most 100000000000\)/);
  });
  it('takes the largest amount', () => {
    expect(toDecimal(parseAmount('100000000000', 'amount'))).toBe(100_000_000_000);
  });
  it('refuses 0 where a positive amount is needed', () => {
    expect(() => parseAmount('0', 'amount', { positive: true })).toThrow(/greater than 0/);
    // A negative one is told the same, and named.
    expect(() => parseAmount('-5', 'amount', { positive: true })).toThrow(
      'amount must be a number greater than 0 with at most 4 decimal places, not "-5"',
    );
  });
});

describe('package state', () => {
  const now = new Date('2025-06-30T00:00:00Z');
  const ok = { status: 'active', startsAt: null, expiresAt: null, price: 100, balance: 100 };
  const codeOf = (f: () => unknown) => {
    try {
      f();
      return 'ok';
    } catch (err) {
      return (err as { code: string }).code;
    }
  };
  it('checks purchased, suspended, effective, expired and balance, in that order', () => {
    expect(codeOf(() => assertPackageUsable(undefined, 'p', now))).toBe('CREDENCE_PACKAGE_NOT_PURCHASED');
    expect(codeOf(() => assertPackageUsable({ ...ok, status: 'suspended', balance: 0 }, 'p', now))).toBe(
      'CREDENCE_PACKAGE_SUSPENDED',
    );
    expect(
      codeOf(() => assertPackageUsable({ ...ok, startsAt: '2025-07-01T00:00:00Z', balance: 0 }, 'p', now)),
    ).toBe('CREDENCE_PACKAGE_NOT_EFFECTIVE');
    expect(
      codeOf(() => assertPackageUsable({ ...ok, expiresAt: '2025-06-30T00:00:00Z', balance: 0 }, 'p', now)),
    ).toBe('CREDENCE_PACKAGE_EXPIRED');
    expect(codeOf(() => assertPackageUsable({ ...ok, balance: 99 }, 'p', now))).toBe(
      'CREDENCE_INSUFFICIENT_BALANCE',
    );
    expect(codeOf(() => assertPackageUsable(ok, 'p', now))).toBe('ok');
    expect(codeOf(() => assertPackageUsable({ ...ok, price: 0, balance: 0 }, 'p', now))).toBe('ok');
  });
});

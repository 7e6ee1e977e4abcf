import { describe, expect, it } from 'vitest';
import { tenureMonths } from './subscriber.js';

const on = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('tenure in months since activation', () => {
  it('is 12 on the first anniversary and 24 on the second, not a day later', () => {
    expect(tenureMonths('2025-12-07', on('2026-12-06'))).toBe(11);
    expect(tenureMonths('2025-12-07', on('2026-12-07'))).toBe(12);
    expect(tenureMonths('2024-12-07', on('2026-12-07'))).toBe(24);
  });

  it('counts calendar months, whatever their lengths', () => {
    // 181 days, across February: six months.
    expect(tenureMonths('2026-01-15', on('2026-07-15'))).toBe(6);
    expect(tenureMonths('2026-01-15', on('2026-07-14'))).toBe(5);
    expect(tenureMonths('2026-12-07', on('2026-12-07'))).toBe(0);
  });

  it('ends a month on the last day of a shorter one', () => {
    expect(tenureMonths('2026-01-31', on('2026-02-27'))).toBe(0);
    expect(tenureMonths('2026-01-31', on('2026-02-28'))).toBe(1);
    expect(tenureMonths('2024-02-29', on('2025-02-28'))).toBe(12);
  });
});

import { describe, expect, it } from 'vitest';
import { isWorking } from './working.js';

const NOW = new Date('2026-12-06T00:00:00Z');

describe('isWorking', () => {
  it('is yes through the last month or day a period names', () => {
    // A CV writes months: "to December 2026" was held through 31 December.
    expect(isWorking([{ from: '2024-01', to: '2026-12' }], NOW)).toBe(true);
    expect(isWorking([{ from: '2024-01', to: '2026-11' }], NOW)).toBe(false);
    expect(isWorking([{ from: '2024-01-01', to: '2026-12-06' }], NOW)).toBe(true);
    expect(isWorking([{ from: '2024-01-01', to: '2026-12-05' }], NOW)).toBe(false);
  });

  it('is yes for a period begun and not ended, or ending ahead', () => {
    expect(isWorking([{ employer: 'Safaricom', from: '2016-02-01', to: null }], NOW)).toBe(true);
    expect(isWorking([{ from: '2016-02' }], NOW)).toBe(true);
    expect(isWorking([{ from: '2025-01-01', to: '2027-06-30' }], NOW)).toBe(true);
  });

  it('is no when every period has ended, or has not begun', () => {
    expect(isWorking([{ from: '2016-02-01', to: '2019-06-30' }], NOW)).toBe(false);
    expect(isWorking([{ from: '2027-01-01', to: null }], NOW)).toBe(false);
  });

  it('is unknown without a period that says when it began', () => {
    expect(isWorking(undefined, NOW)).toBeNull();
    expect(isWorking([], NOW)).toBeNull();
    expect(isWorking([{ employer: 'Safaricom' }, 'x', null], NOW)).toBeNull();
  });
});

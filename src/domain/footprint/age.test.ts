import { describe, expect, it } from 'vitest';
import { ageOn } from './age.js';

describe('ageOn', () => {
  const today = new Date('2026-12-05T10:00:00Z');

  it('counts whole years, the birthday itself included', () => {
    expect(ageOn('1990-03-12', today)).toBe(36);
    expect(ageOn('1990-12-05', today)).toBe(36);
    expect(ageOn('1990-12-06', today)).toBe(35);
    expect(ageOn('2026-12-05', today)).toBe(0);
  });

  it('gives null for what is not a date of birth', () => {
    for (const v of ['2027-01-01', '1890-01-01', '2001-02-30', '12/03/1990', '', 19900312, null])
      expect(ageOn(v, today), String(v)).toBeNull();
  });
});

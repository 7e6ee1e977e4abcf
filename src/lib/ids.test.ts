import { describe, expect, it } from 'vitest';
import { newId, timeOrderedHex } from './ids.js';

describe('ids', () => {
  it('makes typed, time-ordered ids', () => {
    const a = newId('run');
    const b = newId('run');
    expect(a).toMatch(/^run_[0-9A-Z]{26}$/);
    expect(b > a).toBe(true);
  });

  it('makes ULIDs: the time in their first ten digits, strictly increasing within a millisecond', () => {
    const before = Date.now();
    const ids = Array.from({ length: 20_000 }, () => newId('req').slice(4));
    const after = Date.now();
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    const decode = (digits: string) =>
      [...digits].reduce((n, c) => n * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c), 0);
    for (const id of [ids[0]!, ids.at(-1)!]) {
      expect(id).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
      const t = decode(id.slice(0, 10));
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(after);
    }
  });

  it('makes 32-hex-digit ids in the UUIDv7 layout, unique and ordered by time', () => {
    const ids = Array.from({ length: 10_000 }, () => timeOrderedHex());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(timeOrderedHex(Date.UTC(2025, 0, 1)).slice(0, 12)).toBe(
      Date.UTC(2025, 0, 1).toString(16).padStart(12, '0'),
    );
    expect(timeOrderedHex(1000) < timeOrderedHex(2000)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { characterCount, withoutBom } from './text.js';

describe('text', () => {
  it('counts characters as a person does', () => {
    expect(characterCount('')).toBe(0);
    expect(characterCount('Ana')).toBe(3);
    expect(characterCount('\u{1F600}\u{1F600}x')).toBe(3);
    // Half a pair is counted as the one unit it is.
    expect(characterCount('\ud83dx')).toBe(2);
    expect(characterCount('x\ud83d')).toBe(2);
  });

  it('drops a byte-order mark', () => {
    expect(withoutBom('\uFEFF{}')).toBe('{}');
    expect(withoutBom('{}')).toBe('{}');
  });
});

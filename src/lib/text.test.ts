import { describe, expect, it } from 'vitest';
import { asciiDigits, characterCount, halfWidth, withoutBom } from './text.js';

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

  it("writes every script's decimal digits as ASCII digits", () => {
    expect(asciiDigits('0123456789')).toBe('0123456789');
    // Thai, Devanagari, Bengali, Arabic-Indic, full-width, and Mathematical digits whose runs touch.
    expect(asciiDigits('๐๑๒๓๔๕๖๗๘๙')).toBe('0123456789');
    expect(asciiDigits('०१२३४५६७८९')).toBe('0123456789');
    expect(asciiDigits('০৯')).toBe('09');
    expect(asciiDigits('٠٩')).toBe('09');
    expect(asciiDigits('０９')).toBe('09');
    expect(asciiDigits('\u{1D7CE}\u{1D7D7}\u{1D7D8}\u{1D7FF}')).toBe('0909');
    expect(asciiDigits('A-½²')).toBe('A-½²');
  });

  it('writes full-width ASCII forms as ASCII', () => {
    expect(halfWidth('ＢＯＸ－３！ｚ～')).toBe('BOX-3!z~');
    expect(halfWidth('ß ſ ｡')).toBe('ß ſ ｡');
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts the keys of every object, nested ones and those in arrays too', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }], e: { g: null, f: 'x' } })).toBe(
      '{"a":[{"c":3,"d":2}],"b":1,"e":{"f":"x","g":null}}',
    );
  });

  it('keeps a key named __proto__, which JSON.parse reads as an ordinary key', () => {
    const text = '{"reasonCodes":{"__proto__":"Proto","AGE":"Age"}}';
    expect(canonicalJson(JSON.parse(text))).toBe('{"reasonCodes":{"AGE":"Age","__proto__":"Proto"}}');
    expect(JSON.parse(canonicalJson(JSON.parse(text))).reasonCodes).toEqual(JSON.parse(text).reasonCodes);
  });
});

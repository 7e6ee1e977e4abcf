import { describe, expect, it } from 'vitest';
import { CredenceError } from '../domain/errors.js';
import { MAX_JSON_DEPTH, parseJsonBody } from './json-body.js';

function refusal(text: string): CredenceError {
  try {
    parseJsonBody(text);
  } catch (e) {
    if (e instanceof CredenceError) return e;
    throw e;
  }
  throw new Error(`accepted ${text}`);
}

describe('parseJsonBody', () => {
  it('parses JSON, large but finite numbers included', () => {
    expect(parseJsonBody('{"a": 1.5e300, "b": [1e-400, "x1e400"]}')).toEqual({
      a: 1.5e300,
      b: [0, 'x1e400'],
    });
  });

  it('refuses a number beyond the range of a double, naming where it is', () => {
    const e = refusal('{"loans": [{"amount": 1}, {"amount": -1e309}]}');
    expect(e.code).toBe('CREDENCE_INVALID_JSON');
    expect(e.message).toBe('loans[1].amount is a number too large to represent');
    expect(e.details).toEqual({ field: 'loans[1].amount' });
    expect(refusal(`{"n": 1${'0'.repeat(309)}}`).details).toEqual({ field: 'n' });
    expect(refusal('1e999').message).toBe('request body is a number too large to represent');
    // 308 digits still make a double; so do many such runs, in numbers or in text.
    expect(parseJsonBody(`{"n": ${'9'.repeat(308)}}`)).toEqual({ n: Number('9'.repeat(308)) });
    const runs = `"${'1'.repeat(308)} ${'1'.repeat(308)}"`;
    expect(parseJsonBody(`[${runs}, ${runs}]`)).toHaveLength(2);
  });

  it('refuses half of a surrogate pair, in a value or a key, and keeps whole pairs', () => {
    expect(parseJsonBody('{"name": "\\ud83d\\ude00 ok"}')).toEqual({ name: '\u{1F600} ok' });
    const e = refusal('{"customer_id": "\\ud800", "x": 1}');
    expect(e.code).toBe('CREDENCE_INVALID_JSON');
    expect(e.message).toBe('customer_id holds text that is not valid Unicode (half of a surrogate pair)');
    expect(e.details).toEqual({ field: 'customer_id' });
    expect(refusal('{"sms": [{"body": "a\\udc00"}]}').details).toEqual({ field: 'sms[0].body' });
    expect(refusal('{"a": {"\\udbff": 1}}').details).toEqual({ field: 'a' });
    expect(refusal('"\\ud800"').message).toBe(
      'request body holds text that is not valid Unicode (half of a surrogate pair)',
    );
  });

  it('refuses the NUL character, in a value or a key, naming where it is', () => {
    const e = refusal('{"client_id": "a\\u0000b"}');
    expect(e.code).toBe('CREDENCE_INVALID_JSON');
    expect(e.message).toBe('client_id holds the NUL character (\\u0000), which text may not contain');
    expect(e.details).toEqual({ field: 'client_id' });
    expect(refusal('{"outcomes": [{"loan_id": "L\\u0000"}]}').details).toEqual({
      field: 'outcomes[0].loan_id',
    });
    expect(refusal('{"a": {"k\\u0000": 1}}').details).toEqual({ field: 'a' });
    // An escaped backslash before "u0000" is no NUL.
    expect(parseJsonBody('{"path": "C:\\\\u0000"}')).toEqual({ path: 'C:\\u0000' });
  });

  it('refuses keys that reach an object prototype, saying so', () => {
    expect(refusal('{"__proto__": {"admin": true}}').message).toMatch(/__proto__/);
    expect(refusal('{"constructor": {"prototype": {}}}').message).toMatch(/constructor/);
  });

  it('drops those keys instead where asked, at any depth, so that no prototype is reached', () => {
    const drop = (text: string) => parseJsonBody(text, { prototypeKeys: 'drop' }) as Record<string, unknown>;
    const body = drop(
      '{"__proto__": {"admin": true}, "\\u005f_proto__": {"admin": true}, "constructor": {"prototype": {"admin": true}}, "a": {"__proto__": {"admin": true}}, "prototype": 1}',
    );
    expect(body).toEqual({ a: {}, prototype: 1 });
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(body.admin).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses nesting deeper than 64 levels before walking it, brackets inside strings aside', () => {
    const nested = (n: number, inner = '1') =>
      `{"client_id": "1", "a": ${'['.repeat(n - 1)}${inner}${']'.repeat(n - 1)}}`;
    expect(parseJsonBody(nested(MAX_JSON_DEPTH))).toMatchObject({ client_id: '1' });
    const msg = 'request body is nested more than 64 levels deep (objects and arrays inside one another)';
    expect(refusal(nested(MAX_JSON_DEPTH + 1)).message).toBe(msg);
    // So deep that walking it for a huge number would overflow the stack: refused for its depth.
    expect(refusal(nested(200_000, '1e400')).message).toBe(msg);
    // Brackets in strings, escaped quotes included, open nothing.
    const text = `{"s": "${'[{'.repeat(100)}\\\\", "t": "\\"${'['.repeat(100)}", "n": [[1]]}`;
    expect(parseJsonBody(text)).toMatchObject({ n: [[1]] });
  });

  it('calls text that is not JSON not valid JSON', () => {
    expect(refusal('{"a":').message).toBe('request body is not valid JSON');
  });
});

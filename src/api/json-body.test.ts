import { describe, expect, it } from 'vitest';
import { CredenceError } from '../domain/errors.js';
import { parseJsonBody } from './json-body.js';

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
  });

  it('refuses keys that reach an object prototype, saying so', () => {
    expect(refusal('{"__proto__": {"admin": true}}').message).toMatch(/__proto__/);
    expect(refusal('{"constructor": {"prototype": {}}}').message).toMatch(/constructor/);
  });

  it('calls text that is not JSON not valid JSON', () => {
    expect(refusal('{"a":').message).toBe('request body is not valid JSON');
  });
});

import { errors } from 'jose';
import { describe, expect, it } from 'vitest';
import { CredenceError } from '../domain/errors.js';
import { UnknownKeyError } from './signing-keys.js';
import { tokenFault } from './token-faults.js';

describe('tokenFault', () => {
  it('blames the token for what the token causes', () => {
    expect(tokenFault(new errors.JWTExpired('"exp" claim timestamp check failed', {}))).toBe('expired');
    for (const err of [
      new errors.JWSInvalid('Invalid Compact JWS'),
      new errors.JWTInvalid('JWT Claims Set must be a top-level JSON object'),
      new errors.JWSSignatureVerificationFailed(),
      new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed'),
      new errors.JWTClaimValidationFailed('unexpected "iss" claim value', {}),
      new errors.JWKSNoMatchingKey(),
      new UnknownKeyError(),
    ])
      expect(tokenFault(err), err.name).toBe('invalid');
  });

  it('throws CREDENCE_UNAVAILABLE, with the cause, when the keys could not be read', () => {
    for (const cause of [
      new errors.JWKSTimeout(),
      new errors.JOSEError('Expected 200 OK from the JSON Web Key Set HTTP response'),
      new TypeError('fetch failed'),
      new Error('SQLITE_BUSY: database is locked'),
    ]) {
      let thrown: unknown;
      try {
        tokenFault(cause);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(CredenceError);
      expect((thrown as CredenceError).code).toBe('CREDENCE_UNAVAILABLE');
      expect((thrown as CredenceError).statusCode).toBe(503);
      expect((thrown as Error).cause).toBe(cause);
    }
  });
});

/**
 * Why checking an access token failed: because of the token (it is invalid or expired, and the
 * client must get another), or because the server could not check it (the keys that verify tokens
 * could not be read: the database, or the operator's JWK Set endpoint, is down). Only the first is
 * the client's 401; the second must not tell a client to throw away a good token.
 */
import { errors } from 'jose';
import { CredenceError } from '../domain/errors.js';
import { UnknownKeyError } from './signing-keys.js';

/** Errors that a token causes whatever the state of the server. */
const TOKEN_FAULTS = [
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  UnknownKeyError,
];

/**
 * What a failed verification says of the token; throws CREDENCE_UNAVAILABLE (503, the original
 * error as its cause) when the failure was not the token's.
 */
export function tokenFault(err: unknown): 'invalid' | 'expired' {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (TOKEN_FAULTS.some((fault) => err instanceof fault)) return 'invalid';
  throw new CredenceError(
    'CREDENCE_UNAVAILABLE',
    'the keys that verify access tokens could not be read',
    {},
    { cause: err },
  );
}

/**
 * The public keys an OAuth client signs its client assertions with (`private_key_jwt`, RFC 7523
 * §2.2, as the CAMARA security profile asks of API consumers): a JWK Set (RFC 7517 §5) of EC, RSA
 * or OKP public keys, checked when the client is registered.
 */
import type { JSONWebKeySet } from 'jose';
import { invalidInput } from '../domain/errors.js';

/** Algorithms a client assertion may be signed with. */
export const ASSERTION_ALGS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
];
/** The `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2). */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const KEY_TYPES = new Set(['EC', 'RSA', 'OKP']);
/** Members that only a private (or symmetric) key has: registering one would leak it. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The JWK Set, or a CREDENCE_INVALID_INPUT naming what is wrong with it. */
export function parseClientJwks(value: unknown): JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (value === null || typeof value !== 'object' || !Array.isArray(keys) || keys.length === 0)
    throw invalidInput('jwks', 'the client keys must be a JWK Set: {"keys": [...]} with at least one key');
  keys.forEach((k: unknown, i) => {
    const key = k as Record<string, unknown> | null;
    if (key === null || typeof key !== 'object' || !KEY_TYPES.has(key.kty as string))
      throw invalidInput('jwks', `keys[${i}]: kty must be EC, RSA or OKP`);
    const secret = PRIVATE_MEMBERS.find((m) => m in key);
    if (secret)
      throw invalidInput(
        'jwks',
        `keys[${i}] holds a private member ("${secret}"): register the public key only`,
      );
    if (key.alg !== undefined && !ASSERTION_ALGS.includes(key.alg as string))
      throw invalidInput('jwks', `keys[${i}]: alg must be one of ${ASSERTION_ALGS.join(', ')}`);
    if (key.use !== undefined && key.use !== 'sig') throw invalidInput('jwks', `keys[${i}]: use must be sig`);
  });
  return { keys: keys as JSONWebKeySet['keys'] };
}

/**
 * A secret with its last character changed: the same length and shape as the real one, and never
 * equal to it (replacing the last character with a fixed one would give the secret back whenever
 * it already ended in that character).
 */
export const tampered = (secret: string): string => secret.slice(0, -1) + (secret.endsWith('x') ? 'y' : 'x');

/**
 * A compact JWS with one character of its signature changed. The first character is changed, not
 * the last: the last base64url character of a signature carries padding bits that decoders
 * ignore, so changing it leaves the signature valid for a quarter or more of all tokens.
 */
export const tamperedSignature = (jws: string): string => {
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  return `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
};

/**
 * A secret with its last character changed: the same length and shape as the real one, and never
 * equal to it (replacing the last character with a fixed one would give the secret back whenever
 * it already ended in that character).
 */
export const tampered = (secret: string): string => secret.slice(0, -1) + (secret.endsWith('x') ? 'y' : 'x');

/**
 * What FriendlyScore's PHP clients send: `json_encode` writes an empty associative array as `[]`,
 * so `[]` is how such a client says "an object with nothing in it" (no tokens, no comments).
 */
export function isEmptyPhpArray(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}

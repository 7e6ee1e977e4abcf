/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | string[] | null | undefined, now: number): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === null || v.trim() === '') return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

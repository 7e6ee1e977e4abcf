/**
 * The vendor's timestamp format `YYYY-MM-DDThh:mm:ss:mil`: ISO 8601 in UTC but with a colon before
 * the milliseconds and no zone designator (seed: "2019-01-03T06:37:44:003").
 */
export function finboxTimestamp(at: Date): string {
  const iso = at.toISOString(); // 2019-01-03T06:37:44.003Z
  return `${iso.slice(0, 19)}:${iso.slice(20, 23)}`;
}

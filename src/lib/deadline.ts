/**
 * A promise that rejects when `ms` pass before `p` settles. `p` itself is not stopped (a query
 * sent stays sent); the caller just stops waiting for it, and a late rejection is swallowed.
 */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
}

export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`${what} did not answer within ${ms} ms`)), ms);
  });
  p.catch(() => {});
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Whether a database error is a unique-constraint violation, on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Runs `write`; a unique-constraint violation becomes the error `conflict` makes (a 409, say). */
export async function conflictOnUnique<T>(conflict: () => Error, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw isUniqueViolation(err) ? conflict() : err;
  }
}

/**
 * Whether a database error says the database could not be reached or could not take the work
 * now, on either engine: a failure to retry later, not a fault in the request or in Credence.
 * Requests that meet one are answered 503 (in each dialect's words) rather than 500.
 */

/** Connections that could not be made or were lost on the way. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * PostgreSQL SQLSTATEs of a server that is going away, not yet up, or full: admin_shutdown,
 * crash_shutdown, cannot_connect_now, too_many_connections, and class 08, connection exception.
 */
const POSTGRES_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres and its pool say, with no code, of a connection they could not make or lost. */
const POSTGRES_CLIENT_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
];

export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    // SQLite's write lock held past the busy timeout by another process.
    if (code.startsWith('SQLITE_BUSY')) return true;
  }
  return typeof message === 'string' && POSTGRES_CLIENT_MESSAGES.some((m) => message.startsWith(m));
}

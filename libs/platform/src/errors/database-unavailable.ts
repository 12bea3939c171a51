/**
 * SQLSTATEs that say the database cannot serve now, not that the request or the code is
 * wrong: class 08 (connection exception), 53300 too many connections, 57P01-57P03 shutting
 * down, crashed, not accepting connections yet.
 */
const UNAVAILABLE_STATES = /^(08...|53300|57P0[123])$/;
/** Node's socket errors on the way to the database. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
/**
 * TypeORM releases a query runner whose connection failed (its pg client's `error` event);
 * every later query of that transaction throws one of these instead of the cause.
 */
const RELEASED_RUNNER = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);
/** What pg and pg-pool say when a connection breaks or cannot be had (they carry no code). */
const CONNECTION_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /^Client has encountered a connection error/, /^Connection ended unexpectedly/];

/**
 * Whether `error` (or what it wraps: TypeORM's `driverError`, a `cause`) says the database is
 * unreachable or refusing connections: an outage the client should retry after, not a bug.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  // Not `instanceof Error`: Node's socket errors may come from another realm (a test's VM).
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { code, message, name, driverError, cause } = error as { code?: unknown; message?: unknown; name?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof name === 'string' && RELEASED_RUNNER.has(name)) return true;
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || SOCKET_CODES.has(code))) return true;
  if (typeof message === 'string' && CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return isDatabaseUnavailable(driverError ?? cause, depth + 1);
}

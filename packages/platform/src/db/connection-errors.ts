/**
 * Which errors mean "the database cannot be reached right now" rather than "this query is
 * wrong": the first kind is an outage the caller may retry (gRPC UNAVAILABLE, HTTP 503),
 * the second a bug (INTERNAL). Connection failures surface from net (ECONNREFUSED…),
 * from PostgreSQL as SQLSTATEs, or from pg and pg-pool only as messages.
 */

/** Socket errors of an unreachable or vanished server. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server going away or not taking connections: admin/crash shutdown,
 * starting up (57P0x), too many connections (53300); class 08 is "connection exception".
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** pg and pg-pool report these without a code. */
const MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

export function isConnectionError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
    return true;
  }
  if (MESSAGES.some((message) => error.message.startsWith(message))) return true;
  // net reports a refused dual-stack connect as an AggregateError of the attempts.
  if (error instanceof AggregateError && error.errors.some((inner) => isConnectionError(inner, depth + 1))) return true;
  return error.cause !== undefined && isConnectionError(error.cause, depth + 1);
}

/** SQLSTATEs worth another attempt: the same statement may well succeed a moment later. */
const TRANSIENT_STATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57P01', // admin_shutdown (a restart, a failover)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
]);
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE']);

/**
 * Whether `error` is a database failure that a retry may not meet again: a lost or refused
 * connection (SQLSTATE class 08 and the socket errors), a serialization failure or deadlock,
 * a server shutting down or starting. TypeORM wraps the driver's error; both are read.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  for (const candidate of [error, (error as { driverError?: unknown } | null)?.driverError]) {
    const code = (candidate as { code?: unknown } | null | undefined)?.code;
    if (typeof code === 'string') {
      if (code.startsWith('08') || TRANSIENT_STATES.has(code) || TRANSIENT_NETWORK.has(code))
        return true;
    }
    const message = candidate instanceof Error ? candidate.message : '';
    if (
      /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(
        message,
      )
    )
      return true;
  }
  return false;
}

/**
 * Classifies errors from the PostgreSQL driver (pg, or PGlite through its pg adapter) so that
 * the exception filter can answer 409 for a unique violation and 503 while the database is
 * unreachable, instead of a 500.
 */
interface DriverError {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
}

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

/** SQLSTATEs and socket errors that mean "the database cannot serve right now". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '57014', // query_canceled (statement_timeout)
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not established',
  'the database system is starting up',
  'the database system is shutting down',
  'Query read timeout',
];

function causes(error: unknown): DriverError[] {
  const chain: DriverError[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    chain.push(current as DriverError);
    const next = (current as DriverError).driverError ?? (current as { cause?: unknown }).cause;
    if (next === current) break;
    current = next;
  }
  return chain;
}

export function isUniqueViolation(error: unknown): boolean {
  return causes(error).some((e) => e.code === UNIQUE_VIOLATION);
}

/** A row is still referenced (e.g. a tenant that has a dashboard). */
export function isForeignKeyViolation(error: unknown): boolean {
  return causes(error).some((e) => e.code === FOREIGN_KEY_VIOLATION);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return causes(error).some((e) => {
    if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    return UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
  });
}

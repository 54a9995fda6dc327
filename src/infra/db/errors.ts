/** True for a unique-constraint violation on either dialect (SQLite or PostgreSQL 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when a row is still referenced (or references a missing row) on either dialect. */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * True when PostgreSQL refused a text value it cannot store (a NUL byte: 22021; a character
 * outside the encoding: 22P05). Request validation refuses control characters first; this is
 * the backstop for text that reaches a query another way.
 */
export function isUnstorableText(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === '22021' || code === '22P05';
}

// Connection-level failures (socket errors, server shutting down or full, statement timeout):
// retrying later can succeed, so callers answer 503, never 500.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
  '57014',
  '57P01',
  '57P02',
  '57P03',
]);
// steeple_church_moving: a write refused by a church move's fence (platform/tenant-move); the
// church takes writes again, on its new database, within seconds.
const TRANSIENT_MESSAGE =
  /steeple_church_moving|Connection terminated|timeout exceeded when trying to connect|not queryable|Client has encountered a connection error|Query read timeout/;

/** True when a database call failed because the server could not be reached or answer in time. */
export function isTransientDbError(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message)) return true;
    e = e.cause as typeof e;
  }
  return false;
}

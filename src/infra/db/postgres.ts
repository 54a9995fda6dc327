import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger.js';

export interface PgPoolOptions {
  max: number;
  connectionTimeoutMillis?: number;
  idleTimeoutMillis?: number;
  /** Connections kept open however long idle (default 0). */
  min?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
}

// int8 (counts, sums of cents) as numbers: every value we store fits in 2^53.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A bounded pg.Pool whose idle-client errors are logged, never thrown at the process. */
export function createPgPool(url: string, opts: PgPoolOptions, log: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max,
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 5000,
    idleTimeoutMillis: opts.idleTimeoutMillis ?? 30_000,
    min: opts.min ?? 0,
    statement_timeout: opts.statementTimeoutMs,
    // The server enforces statement_timeout only if it can be reached: a blackholed connection
    // would hold the request for as long as the partition lasts. This bounds it client-side.
    query_timeout: opts.statementTimeoutMs ? opts.statementTimeoutMs + 1000 : undefined,
    application_name: opts.applicationName ?? 'steeple',
    types,
  });
  pool.on('error', (err) =>
    log.warn(
      { err: { message: err.message, code: (err as { code?: string }).code } },
      'idle PostgreSQL client error',
    ),
  );
  // pg-pool listens for client errors only while a client is idle. A connection that dies while
  // checked out (between two statements of a transaction, or under a running query) emits
  // 'error' with no listener, which would crash the process. The query
  // in flight still fails with the error, and pg-pool discards the dead client on release.
  pool.on('connect', (client) => {
    client.on('error', (err) =>
      log.debug(
        { err: { message: err.message, code: (err as { code?: string }).code } },
        'PostgreSQL client error',
      ),
    );
  });
  return pool;
}

/** Wraps a pool as Kysely; destroying the Kysely instance ends the pool. */
export function kyselyOverPool<DB>(pool: pg.Pool): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Replaces the database name of a postgres URL (for per-tenant and test databases). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Quotes an identifier we generated (never user input); rejects anything unexpected. */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new Error(`refusing unsafe identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

import type pg from 'pg';
import type { Logger } from '../logger.js';
import { createPgPool } from './postgres.js';

/**
 * Tiny per-server pools (one connection each) for administrative statements on a server's
 * maintenance database: CREATE/DROP DATABASE. Idle connections close after a second, so an
 * unused admin pool holds nothing.
 */
export class PgAdminPools {
  private readonly pools = new Map<string, pg.Pool>();

  constructor(
    private readonly log: Logger,
    private readonly connectTimeoutMs = 5000,
  ) {}

  /** Runs one statement on the server at `url` (its database is the maintenance database). */
  query(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult> {
    let pool = this.pools.get(url);
    if (!pool) {
      pool = createPgPool(
        url,
        {
          max: 1,
          idleTimeoutMillis: 1000,
          connectionTimeoutMillis: this.connectTimeoutMs,
          applicationName: 'steeple-admin',
        },
        this.log,
      );
      this.pools.set(url, pool);
    }
    return pool.query(text, params);
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map((p) => p.end()));
  }
}

/** The PostgreSQL error code of an error, if any (e.g. '55006', '42P04', '3D000'). */
export function pgErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

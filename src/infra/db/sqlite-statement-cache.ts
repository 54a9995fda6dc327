import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

const DEFAULT_MAX = 64;

/** A SqliteDatabase for Kysely whose statements are better-sqlite3's own. */
export interface CachedStatements extends SqliteDatabase {
  prepare(sql: string): Statement;
}

/**
 * Kysely's SQLite driver prepares every query afresh, and better-sqlite3 compiles the SQL each
 * time (about a tenth of the CPU of a simple authenticated read). A query shape always compiles
 * to the same SQL, so its Statement is reused: a small LRU per handle, bounded so a tenant's
 * memory stays flat. Neither library offers this (Kysely's SqliteDatabase is the extension
 * point for it). A statement still iterating (a streamed query) is never handed out twice.
 */
export function withStatementCache(database: Database, max = DEFAULT_MAX): CachedStatements {
  const cache = new Map<string, Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        cache.delete(sql); // re-insert: Map order is the LRU order
        cache.set(sql, hit);
        return hit;
      }
      const stmt = database.prepare(sql);
      if (!hit) {
        cache.set(sql, stmt);
        if (cache.size > max) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
}

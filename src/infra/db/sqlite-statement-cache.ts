import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { withFixedRows } from './sqlite-fixed-rows.js';

const DEFAULT_MAX = 64;

/** A SqliteDatabase for Kysely whose statements are prepared once per SQL text. */
export interface CachedStatements extends SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

interface Cached {
  stmt: Statement;
  /** What Kysely is handed: the statement, or its fixed-rows reader (sqlite-fixed-rows.ts). */
  handed: SqliteStatement;
}

/**
 * Kysely's SQLite driver prepares every query afresh, and better-sqlite3 compiles the SQL each
 * time (about a tenth of the CPU of a simple authenticated read). A query shape always compiles
 * to the same SQL, so its Statement is reused: a small LRU per handle, bounded so a tenant's
 * memory stays flat. Neither library offers this (Kysely's SqliteDatabase is the extension
 * point for it). A statement still iterating (a streamed query) is never handed out twice.
 */
export function withStatementCache(database: Database, max = DEFAULT_MAX): CachedStatements {
  const cache = new Map<string, Cached>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !hit.stmt.busy) {
        cache.delete(sql); // re-insert: Map order is the LRU order
        cache.set(sql, hit);
        return hit.handed;
      }
      const stmt = database.prepare(sql);
      const handed = withFixedRows(stmt);
      if (!hit) {
        cache.set(sql, { stmt, handed });
        if (cache.size > max) cache.delete(cache.keys().next().value!);
      }
      return handed;
    },
  };
}

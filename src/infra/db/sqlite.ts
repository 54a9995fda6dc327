import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { withStatementCache } from './sqlite-statement-cache.js';
import { createPrivateFile } from '../private-files.js';

export interface SqliteOpenOptions {
  /** Page-cache cap in KiB; bounds memory per open handle. */
  cacheKb?: number;
  busyTimeoutMs?: number;
  /** Open only an existing file: an unknown tenant must never create one. */
  mustExist?: boolean;
}

/** Opens a SQLite file as a Kysely instance with WAL, busy timeout and foreign keys on. */
export function openSqlite<DB>(file: string, opts: SqliteOpenOptions = {}): Kysely<DB> {
  return openSqliteHandle<DB>(file, opts).db;
}

/**
 * Like openSqlite, with a close that always closes the file. Kysely connects lazily, and
 * `destroy()` on an instance that never ran a query leaves the better-sqlite3 handle open.
 */
export function openSqliteHandle<DB>(
  file: string,
  opts: SqliteOpenOptions = {},
): { db: Kysely<DB>; close(): Promise<void> } {
  // A new database file is private from its first byte (SQLite would make it 0644).
  if (!opts.mustExist && file !== ':memory:') createPrivateFile(file);
  const database = new Database(file, { fileMustExist: opts.mustExist ?? false });
  try {
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
    if (opts.cacheKb) database.pragma(`cache_size = -${Math.trunc(opts.cacheKb)}`);
  } catch (err) {
    database.close();
    throw err;
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return {
    db,
    close: async () => {
      await db.destroy();
      if (database.open) database.close();
    },
  };
}

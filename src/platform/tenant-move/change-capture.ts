import { setTimeout as sleep } from 'node:timers/promises';
import type { AnyDb } from './table-rows.js';
import type { CopyTable } from './tenant-tables.js';

/**
 * Change capture and write fence on a move's source database: a trigger on every church table
 * logs the key of each row written (`steeple_move_changes`), and refuses the write while the
 * fence (`steeple_move_fence.until`, epoch seconds on the database's clock) lies in the future.
 * Both live in the source itself, so they hold for every instance and process that writes to
 * it, whatever their caches say.
 */
export interface ChangeCapture {
  /** Creates the log, the fence (open) and the triggers; idempotent. */
  install(db: AnyDb, tables: CopyTable[]): Promise<void>;
  /** Refuses writes for `seconds`, once the writes in flight have committed. */
  freeze(db: AnyDb, tables: CopyTable[], seconds: number): Promise<void>;
  /** Refuses writes for good (a source the church has left). */
  fenceForever(db: AnyDb): Promise<void>;
  /** Removes triggers, fence and log: the database is as before the move. Idempotent. */
  remove(db: AnyDb, tables: CopyTable[]): Promise<void>;
}

/** The message (and, on PostgreSQL, SQLSTATE 25006) of a write refused by the fence. */
export const FENCE_MESSAGE = 'steeple_church_moving';

export interface LoggedChange {
  seq: number;
  table: string;
  key: unknown[];
}

/** The oldest logged changes, at most `limit`. */
export async function readChanges(db: AnyDb, limit: number): Promise<LoggedChange[]> {
  const rows = await db
    .selectFrom('steeple_move_changes')
    .select(['seq', 'tbl', 'pk'])
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), table: r.tbl as string, key: JSON.parse(r.pk as string) }));
}

/** Removes changes once they are applied on the target. */
export async function forgetChanges(db: AnyDb, seqs: number[]): Promise<void> {
  for (let i = 0; i < seqs.length; i += 500) {
    await db
      .deleteFrom('steeple_move_changes')
      .where('seq', 'in', seqs.slice(i, i + 500))
      .execute();
  }
}

// Busy (SQLite) or lock timeout (PostgreSQL): a writer holds what we need; try again shortly.
const LOCKED = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', '55P03']);

/**
 * Runs a schema or fence change, retrying while writers hold the lock, until `deadlineMs`.
 * Waits asynchronously: a SQLite busy wait would block this process's event loop, and with it
 * the very transaction it waits for when that runs in this process.
 */
export async function whenUnlocked<T>(fn: () => Promise<T>, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 100)) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string })?.code;
      if (!code || !LOCKED.has(code) || Date.now() > deadline) throw err;
      await sleep(delay);
    }
  }
}

import { sql } from 'kysely';
import { describeTables, isPostgres } from '../../infra/db/schema-introspection.js';
import { whenUnlocked } from './change-capture.js';
import type { AnyDb } from './table-rows.js';

// The target records which move made it: a rollback drops only a database it made (or one still
// empty), never the source reached under another server's name.
export async function markTarget(db: AnyDb, moveId: string): Promise<void> {
  await db.schema.createTable('steeple_move_target').ifNotExists().addColumn('move_id', 'text').execute();
  await db.insertInto('steeple_move_target').values({ move_id: moveId }).execute();
}

// The church is live there now: never a blocking busy wait on a SQLite file others write to.
export async function unmarkTarget(db: AnyDb): Promise<void> {
  if (!isPostgres(db)) await sql`PRAGMA busy_timeout = 0`.execute(db);
  await whenUnlocked(() => db.schema.dropTable('steeple_move_target').ifExists().execute(), 5000);
}

/** True for a target this move made, or one still empty (made, unmarked, before a crash). */
export async function isDisposableTarget(db: AnyDb, moveId: string): Promise<boolean> {
  const names = new Set((await describeTables(db)).map((t) => t.name));
  if (names.has('steeple_move_target')) {
    const mark = await db.selectFrom('steeple_move_target').select('move_id').executeTakeFirst();
    return mark?.move_id === moveId;
  }
  if (names.has('steeple_move_fence') || !names.has('church')) return false;
  const church = await db.selectFrom('church').select('id').executeTakeFirst();
  return !church;
}

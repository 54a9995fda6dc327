import { sql } from 'kysely';
import { quoteIdent } from '../../infra/db/postgres.js';
import { type ChangeCapture, FENCE_MESSAGE, whenUnlocked } from './change-capture.js';
import type { AnyDb } from './table-rows.js';

const NOW = `((julianday('now') - 2440587.5) * 86400.0)`;
const OPS = [
  ['i', 'INSERT', ['NEW']],
  ['u', 'UPDATE', ['OLD', 'NEW']],
  ['d', 'DELETE', ['OLD']],
] as const;

const trigger = (table: string, op: string) => quoteIdent(`steeple_move_${table}_${op}`);

// A blocking busy wait could stall the event loop that has to finish the transaction we wait
// for: this connection fails at once and `whenUnlocked` retries asynchronously.
async function run(db: AnyDb, statements: string[]): Promise<void> {
  await sql`PRAGMA busy_timeout = 0`.execute(db);
  await whenUnlocked(() =>
    db.transaction().execute(async (trx) => {
      for (const s of statements) await sql.raw(s).execute(trx);
    }),
  );
}

/** Change capture on SQLite: three triggers per table (one per kind of write). */
export const sqliteChangeCapture: ChangeCapture = {
  async install(db, tables) {
    const statements = [
      'CREATE TABLE IF NOT EXISTS steeple_move_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, pk TEXT NOT NULL)',
      'CREATE TABLE IF NOT EXISTS steeple_move_fence (id INTEGER PRIMARY KEY, until REAL NOT NULL)',
      'INSERT OR IGNORE INTO steeple_move_fence (id, until) VALUES (1, 0)',
    ];
    for (const t of tables) {
      const name = quoteIdent(t.name);
      for (const [op, event, sides] of OPS) {
        const logs = sides.map(
          (side) =>
            `INSERT INTO steeple_move_changes (tbl, pk) VALUES ('${t.name}', json_array(${t.primaryKey
              .map((k) => `${side}.${quoteIdent(k)}`)
              .join(', ')}));`,
        );
        statements.push(
          `CREATE TRIGGER IF NOT EXISTS ${trigger(t.name, op)} AFTER ${event} ON ${name} BEGIN
             SELECT RAISE(ABORT, '${FENCE_MESSAGE}') WHERE (SELECT until FROM steeple_move_fence WHERE id = 1) > ${NOW};
             ${logs.join('\n')}
           END`,
        );
      }
    }
    await run(db, statements);
  },

  async freeze(db, _tables, seconds) {
    // Taking the write lock waits for the writer in flight; SQLite has one writer at a time.
    await run(db, [`UPDATE steeple_move_fence SET until = ${NOW} + ${Number(seconds)} WHERE id = 1`]);
  },

  async fenceForever(db) {
    await run(db, ['UPDATE steeple_move_fence SET until = 1e15 WHERE id = 1']);
  },

  async remove(db, tables) {
    const statements: string[] = [];
    for (const t of tables)
      for (const [op] of OPS) statements.push(`DROP TRIGGER IF EXISTS ${trigger(t.name, op)}`);
    statements.push('DROP TABLE IF EXISTS steeple_move_changes', 'DROP TABLE IF EXISTS steeple_move_fence');
    await run(db, statements);
  },
};

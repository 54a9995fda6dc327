import { sql } from 'kysely';
import { quoteIdent } from '../../infra/db/postgres.js';
import { type ChangeCapture, FENCE_MESSAGE, whenUnlocked } from './change-capture.js';
import type { AnyDb } from './table-rows.js';

const TRIGGER = 'steeple_move_capture';

// One function for every table: the key columns come as trigger arguments.
const CAPTURE_FUNCTION = `
CREATE OR REPLACE FUNCTION steeple_move_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT until FROM steeple_move_fence WHERE id = 1) > extract(epoch FROM clock_timestamp()) THEN
    RAISE EXCEPTION '${FENCE_MESSAGE}' USING ERRCODE = '25006';
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO steeple_move_changes (tbl, pk)
      SELECT TG_TABLE_NAME, jsonb_agg(to_jsonb(OLD) -> a.k ORDER BY a.n)::text
        FROM unnest(TG_ARGV) WITH ORDINALITY AS a(k, n);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO steeple_move_changes (tbl, pk)
      SELECT TG_TABLE_NAME, jsonb_agg(to_jsonb(NEW) -> a.k ORDER BY a.n)::text
        FROM unnest(TG_ARGV) WITH ORDINALITY AS a(k, n);
  END IF;
  RETURN NULL;
END $$`;

// Each step in one transaction with a lock timeout: DDL on a table waits for its writers (and
// makes new ones queue behind it), so a long wait is given up and retried instead.
async function run(db: AnyDb, statements: string[]): Promise<void> {
  await whenUnlocked(() =>
    db.transaction().execute(async (trx) => {
      await sql`SET LOCAL lock_timeout = '2s'`.execute(trx);
      for (const s of statements) await sql.raw(s).execute(trx);
    }),
  );
}

/** Change capture on PostgreSQL: one row trigger per table calling one function. */
export const postgresChangeCapture: ChangeCapture = {
  async install(db, tables) {
    const statements = [
      'CREATE TABLE IF NOT EXISTS steeple_move_changes (seq bigserial PRIMARY KEY, tbl text NOT NULL, pk text NOT NULL)',
      'CREATE TABLE IF NOT EXISTS steeple_move_fence (id integer PRIMARY KEY, until double precision NOT NULL)',
      'INSERT INTO steeple_move_fence (id, until) VALUES (1, 0) ON CONFLICT DO NOTHING',
      CAPTURE_FUNCTION,
    ];
    for (const t of tables) {
      const name = quoteIdent(t.name);
      const args = t.primaryKey.map((k) => `'${quoteIdent(k).slice(1, -1)}'`).join(', ');
      statements.push(
        `DROP TRIGGER IF EXISTS ${TRIGGER} ON ${name}`,
        `CREATE TRIGGER ${TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON ${name} FOR EACH ROW EXECUTE FUNCTION steeple_move_capture(${args})`,
      );
    }
    await run(db, statements);
  },

  async freeze(db, tables, seconds) {
    // EXCLUSIVE waits for every transaction that has written to a church table to end (readers
    // pass), so no write committed after this freeze can have escaped the change log.
    const names = tables.map((t) => quoteIdent(t.name)).join(', ');
    await run(db, [
      `LOCK TABLE ${names} IN EXCLUSIVE MODE`,
      `UPDATE steeple_move_fence SET until = extract(epoch FROM clock_timestamp()) + ${Number(seconds)} WHERE id = 1`,
    ]);
  },

  async fenceForever(db) {
    await run(db, ['UPDATE steeple_move_fence SET until = 1e15 WHERE id = 1']);
  },

  async remove(db, tables) {
    const statements = tables.map((t) => `DROP TRIGGER IF EXISTS ${TRIGGER} ON ${quoteIdent(t.name)}`);
    statements.push(
      'DROP FUNCTION IF EXISTS steeple_move_capture()',
      'DROP TABLE IF EXISTS steeple_move_changes',
      'DROP TABLE IF EXISTS steeple_move_fence',
    );
    await run(db, statements);
  },
};

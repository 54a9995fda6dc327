import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import { type SqliteHandle, sqliteStatementsOf } from './sqlite.js';

/**
 * Compiled queries run straight on the better-sqlite3 handle under a SQLite Kysely (one opened
 * by openSqlite), and through Kysely otherwise (PostgreSQL). Kysely has no synchronous path, and
 * its async connection hand-off costs more than a small statement. For the few queries on a
 * latency-critical path: the revocation lookup of every authenticated request (two index reads),
 * and the last two writes of a signup: from the end of its argon2 hash (which evicts every cache)
 * to the activation commit took 1.5-1.7 ms with them built and run through Kysely, and
 * 0.6-0.85 ms compiled ahead and run here (server-side marks, 2026-11-29).
 *
 * While the handle has a transaction open (a Kysely transaction, which holds Kysely's
 * connection), a direct statement would join that transaction, so the query goes through Kysely
 * and waits its turn instead.
 */
function direct(db: object): SqliteHandle | undefined {
  const handle = sqliteStatementsOf(db);
  return handle && !handle.raw.inTransaction ? handle : undefined;
}

/** A Kysely instance or transaction. */
type Runner = { executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>> };

/**
 * The query with every parameter equal to `slot` replaced by `value`: for a query compiled
 * ahead, before that value exists. Throws when the query does not use the slot.
 */
export function fillSlot(query: CompiledQuery, slot: string, value: unknown): CompiledQuery {
  if (!query.parameters.includes(slot))
    throw new Error(`${JSON.stringify(slot)} is not a parameter of the query`);
  return { ...query, parameters: query.parameters.map((p) => (p === slot ? value : p)) };
}

/** Compiles the statement now (SQLite), so a later executeCompiled only runs it. */
export function prepareCompiled(db: object, query: CompiledQuery): void {
  sqliteStatementsOf(db)?.prepare(query.sql);
}

/** Runs a compiled write; resolves with the number of rows it changed. */
export async function executeCompiled(db: Runner, query: CompiledQuery): Promise<number> {
  const handle = direct(db);
  if (handle) return handle.prepare(query.sql).run(query.parameters).changes;
  return Number((await db.executeQuery(query)).numAffectedRows ?? 0);
}

/** The first row of a compiled read (RevocationStore's lookup on every authenticated request). */
export async function firstRowCompiled<R>(db: Runner, query: CompiledQuery<R>): Promise<R | undefined> {
  const handle = direct(db);
  if (handle) return handle.prepare(query.sql).get(query.parameters) as R | undefined;
  return (await db.executeQuery(query)).rows[0];
}

/**
 * Runs compiled writes in one transaction. `check` gets the rows each changed before the
 * commit; whatever it throws rolls the transaction back and rejects.
 */
export async function executeCompiledInTransaction<DB>(
  db: Kysely<DB>,
  queries: readonly CompiledQuery[],
  check: (changed: number[]) => void,
): Promise<void> {
  const handle = direct(db);
  if (handle) {
    handle.raw.transaction(() => {
      check(queries.map((q) => handle.prepare(q.sql).run(q.parameters).changes));
    })();
    return;
  }
  await db.transaction().execute(async (trx) => {
    const changed: number[] = [];
    for (const q of queries) changed.push(Number((await trx.executeQuery(q)).numAffectedRows ?? 0));
    check(changed);
  });
}

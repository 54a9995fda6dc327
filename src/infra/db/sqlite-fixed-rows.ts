import type { Statement } from 'better-sqlite3';
import type { SqliteStatement } from 'kysely';

/**
 * A reading statement whose rows are built in JavaScript, from better-sqlite3's raw arrays, by
 * an object literal made once for the statement's columns. better-sqlite3 builds each row
 * object through V8's C++ API, looking every column name up again for every row; on a page of
 * people that was about half of the query's time, and the rows it made were slower to read.
 * Rows come out the same (same keys in the same order; a repeated name keeps the last value).
 *
 * Only for a select list without `*`: its column names are fixed by the SQL text, whereas a
 * `*` would change meaning with the schema (SQLite prepares a statement again after a
 * migration, which another process may run). Other statements are handed out as they are.
 */
export function withFixedRows(stmt: Statement): SqliteStatement {
  if (!stmt.reader || stmt.source.includes('*')) return stmt;
  const names = stmt.columns().map((c) => c.name);
  if (names.includes('__proto__')) return stmt;
  // Names are quoted as JSON strings, so no column name can break out of the literal.
  const row = new Function(
    'r',
    `return {${names.map((n, i) => `${JSON.stringify(n)}: r[${i}]`).join(', ')}};`,
  ) as (values: unknown[]) => unknown;
  stmt.raw(true);
  return {
    reader: true,
    all: (parameters) => (stmt.all(parameters) as unknown[][]).map((values) => row(values)),
    run: (parameters) => stmt.run(parameters),
    *iterate(parameters) {
      for (const values of stmt.iterate(parameters) as IterableIterator<unknown[]>) yield row(values);
    },
  };
}

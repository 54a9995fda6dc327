import { type Kysely, sql } from 'kysely';
import type { CopyTable } from './tenant-tables.js';

// biome-ignore lint/suspicious/noExplicitAny: rows of any church table, column -> value
export type AnyDb = Kysely<any>;
export type Row = Record<string, unknown>;

// SQLite binds at most 32766 values per statement, PostgreSQL 65535: pages stay under both.
const MAX_VALUES = 30_000;
const MAX_PAGE = 2000;

/** Rows per page (and per insert) for a table: bounded by bound values per statement. */
export function pageSize(table: CopyTable): number {
  return Math.max(1, Math.min(MAX_PAGE, Math.floor(MAX_VALUES / table.columns.length)));
}

const keyOf = (table: CopyTable, row: Row) => table.primaryKey.map((k) => row[k]);

/** Row-value comparison `(a, b) > (x, y)`: SQLite and PostgreSQL both support it. */
function afterKey(table: CopyTable, key: unknown[]) {
  const cols = sql.join(table.primaryKey.map((c) => sql.ref(c)));
  return sql<boolean>`(${cols}) > (${sql.join(key)})`;
}

/** Every row of a table in primary-key order, a page at a time (bounded memory). */
export async function* readPages(db: AnyDb, table: CopyTable): AsyncGenerator<Row[]> {
  const size = pageSize(table);
  let after: unknown[] | undefined;
  for (;;) {
    let q = db.selectFrom(table.name).selectAll().limit(size);
    for (const k of table.primaryKey) q = q.orderBy(k);
    if (after) {
      const key = after;
      q = q.where(() => afterKey(table, key));
    }
    const rows = (await q.execute()) as Row[];
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = keyOf(table, rows[rows.length - 1]!);
  }
}

/** Inserts rows as they are; self-referencing columns are left null for `linkSelfRefs`. */
export async function insertRows(db: AnyDb, table: CopyTable, rows: Row[]): Promise<void> {
  if (!rows.length) return;
  const values = table.selfRefColumns.length
    ? rows.map((r) => ({ ...r, ...Object.fromEntries(table.selfRefColumns.map((c) => [c, null])) }))
    : rows;
  await db.insertInto(table.name).values(values).execute();
}

/** Second pass of `insertRows`: sets the self-referencing columns once every row exists. */
export async function linkSelfRefs(db: AnyDb, table: CopyTable, rows: Row[]): Promise<void> {
  for (const row of rows) {
    const set = Object.fromEntries(table.selfRefColumns.map((c) => [c, row[c]]));
    if (Object.values(set).every((v) => v == null)) continue;
    await matchKey(db.updateTable(table.name).set(set), table, keyOf(table, row)).execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a where-able query builder of any table
function matchKey<Q extends { where: (...a: any[]) => Q }>(q: Q, table: CopyTable, key: unknown[]): Q {
  let out = q;
  table.primaryKey.forEach((k, i) => {
    out = out.where(k, '=', key[i]);
  });
  return out;
}

/** Inserts or replaces rows by primary key (the catch-up of rows changed during a copy). */
export async function upsertRows(db: AnyDb, table: CopyTable, rows: Row[]): Promise<void> {
  const rest = table.columns.map((c) => c.name).filter((c) => !table.primaryKey.includes(c));
  for (let i = 0; i < rows.length; i += pageSize(table)) {
    const page = rows.slice(i, i + pageSize(table));
    await db
      .insertInto(table.name)
      .values(page)
      .onConflict((oc) => {
        const cols = oc.columns(table.primaryKey as never);
        return rest.length
          ? cols.doUpdateSet(Object.fromEntries(rest.map((c) => [c, sql.ref(`excluded.${c}`)])))
          : cols.doNothing();
      })
      .execute();
  }
}

/** Deletes rows by primary key. */
export async function deleteByKeys(db: AnyDb, table: CopyTable, keys: unknown[][]): Promise<void> {
  for (const key of keys) await matchKey(db.deleteFrom(table.name), table, key).execute();
}

/** The rows with these primary keys that exist (in no particular order). */
export async function rowsByKeys(db: AnyDb, table: CopyTable, keys: unknown[][]): Promise<Row[]> {
  const out: Row[] = [];
  const chunk = Math.max(1, Math.floor(500 / table.primaryKey.length));
  for (let i = 0; i < keys.length; i += chunk) {
    const part = keys.slice(i, i + chunk);
    const rows = await db
      .selectFrom(table.name)
      .selectAll()
      .where((eb) => eb.or(part.map((key) => eb.and(table.primaryKey.map((k, j) => eb(k, '=', key[j]))))))
      .execute();
    out.push(...(rows as Row[]));
  }
  return out;
}

/** The table's row count. */
export async function countRows(db: AnyDb, table: CopyTable): Promise<number> {
  const r = await db
    .selectFrom(table.name)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A key as one comparable string (rows of both sides are matched by it). */
export function keyString(table: CopyTable, row: Row): string {
  return JSON.stringify(keyOf(table, row));
}

/** Rough size of a row's values: text by length, other values 8 bytes (for progress and metrics). */
export function rowBytes(row: Row): number {
  let n = 0;
  for (const v of Object.values(row)) {
    if (typeof v === 'string') n += v.length;
    else if (v != null) n += 8;
  }
  return n;
}

import { type Kysely, PostgresAdapter, sql } from 'kysely';

/** One table as the database itself describes it (not as the code believes it is). */
export interface TableShape {
  name: string;
  /** Columns in their declared order. */
  columns: ColumnShape[];
  /** Primary-key columns in key order; empty when the table has none. */
  primaryKey: string[];
  /** Tables this one references through foreign keys (itself included when it does). */
  references: Array<{ table: string; columns: string[] }>;
}

export interface ColumnShape {
  name: string;
  /** Declared type, lower-cased (`text`, `integer`, `bigint`). */
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: introspection works on any schema
type AnyDb = Kysely<any>;

/** True when `db` talks to PostgreSQL (false: SQLite). */
export function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Every base table of the database's default schema, read from the database's own catalog:
 * Kysely's introspection lists columns only, and copying a database needs keys and references.
 */
export async function describeTables(db: AnyDb): Promise<TableShape[]> {
  return isPostgres(db) ? describePostgres(db) : describeSqlite(db);
}

async function describeSqlite(db: AnyDb): Promise<TableShape[]> {
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
    db,
  );
  const out: TableShape[] = [];
  for (const { name } of tables.rows) {
    const cols = await sql<{ name: string; type: string; notnull: number; dflt_value: unknown; pk: number }>`
      select name, type, "notnull", dflt_value, pk from pragma_table_info(${name}) order by cid`.execute(db);
    const fks = await sql<{ id: number; seq: number; table: string; from: string }>`
      select id, seq, "table", "from" from pragma_foreign_key_list(${name}) order by id, seq`.execute(db);
    const references = new Map<number, { table: string; columns: string[] }>();
    for (const fk of fks.rows) {
      const ref = references.get(fk.id) ?? { table: fk.table, columns: [] };
      ref.columns.push(fk.from);
      references.set(fk.id, ref);
    }
    out.push({
      name,
      columns: cols.rows.map((c) => ({
        name: c.name,
        type: c.type.toLowerCase(),
        // SQLite lets a primary-key column hold NULL unless declared NOT NULL; ours never do.
        notNull: c.notnull === 1 || c.pk > 0,
        hasDefault: c.dflt_value !== null,
      })),
      primaryKey: cols.rows
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      references: [...references.values()],
    });
  }
  return out;
}

async function describePostgres(db: AnyDb): Promise<TableShape[]> {
  const cols = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
  }>`
    select c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default
      from information_schema.columns c
      join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = current_schema()
     order by c.table_name, c.ordinal_position`.execute(db);
  const constraints = await sql<{ tbl: string; contype: string; ref: string | null; cols: string[] }>`
    select rel.relname as tbl, c.contype, ref.relname as ref,
           array(select a.attname::text
                   from unnest(c.conkey) with ordinality k(num, ord)
                   join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.num
                  order by k.ord) as cols
      from pg_constraint c
      join pg_class rel on rel.oid = c.conrelid
      left join pg_class ref on ref.oid = c.confrelid
     where c.connamespace = current_schema()::regnamespace and c.contype in ('p', 'f')
     order by rel.relname, c.conname`.execute(db);
  const byName = new Map<string, TableShape>();
  for (const c of cols.rows) {
    let t = byName.get(c.table_name);
    if (!t) {
      t = { name: c.table_name, columns: [], primaryKey: [], references: [] };
      byName.set(c.table_name, t);
    }
    t.columns.push({
      name: c.column_name,
      type: c.data_type.toLowerCase(),
      notNull: c.is_nullable === 'NO',
      hasDefault: c.column_default !== null,
    });
  }
  for (const c of constraints.rows) {
    const t = byName.get(c.tbl);
    if (!t) continue;
    if (c.contype === 'p') t.primaryKey = c.cols;
    else if (c.ref) t.references.push({ table: c.ref, columns: c.cols });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

import type { Kysely } from 'kysely';
import { describeTables, type TableShape } from '../../infra/db/schema-introspection.js';

/** A church table to copy, in an order where every table comes after the tables it references. */
export interface CopyTable extends TableShape {
  /** Nullable columns referencing the table itself: copied in a second pass (the row may come later). */
  selfRefColumns: string[];
}

// The migrator's own bookkeeping is the target's (built by its template); steeple_move_* is the
// move's change log and fence on a source.
const NOT_CHURCH_DATA = /^(tenant_migrations|tenant_migrations_lock|steeple_move_.+)$/;

/** True for tables that hold the church's data (what a move copies). */
export function isChurchTable(name: string): boolean {
  return !NOT_CHURCH_DATA.test(name);
}

/**
 * Every church table of a tenant database, read from the database itself (so tables added by
 * any module's migration are included), ordered parents first. Throws on a table without a
 * primary key (its rows could not be matched on the other side) or a cycle of references.
 */
// biome-ignore lint/suspicious/noExplicitAny: works on any tenant schema
export async function tenantTables(db: Kysely<any>): Promise<CopyTable[]> {
  const tables = (await describeTables(db)).filter((t) => isChurchTable(t.name));
  for (const t of tables) {
    if (t.primaryKey.length === 0) throw new Error(`table ${t.name} has no primary key; it cannot be moved`);
  }
  return parentsFirst(tables).map((t) => ({
    ...t,
    selfRefColumns: t.references
      .filter((r) => r.table === t.name)
      .flatMap((r) => r.columns)
      .filter((c) => !t.columns.find((col) => col.name === c)?.notNull),
  }));
}

function parentsFirst(tables: TableShape[]): TableShape[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: TableShape[] = [];
  while (out.length < tables.length) {
    const ready = tables.find(
      (t) =>
        !done.has(t.name) &&
        t.references.every((r) => r.table === t.name || done.has(r.table) || !byName.has(r.table)),
    );
    if (!ready) {
      const left = tables.filter((t) => !done.has(t.name)).map((t) => t.name);
      throw new Error(`tables reference each other in a cycle: ${left.join(', ')}`);
    }
    done.add(ready.name);
    out.push(ready);
  }
  return out;
}

/**
 * The first difference between two databases' church tables (names, columns and their types,
 * keys), or null when they have the same shape: rows then copy column for column.
 */
export function shapeDifference(a: CopyTable[], b: CopyTable[]): string | null {
  const describe = (t: CopyTable) =>
    `${t.columns.map((c) => `${c.name}:${c.type}${c.notNull ? '!' : ''}`).join(',')} pk(${t.primaryKey.join(',')})`;
  const other = new Map(b.map((t) => [t.name, t]));
  for (const t of a) {
    const u = other.get(t.name);
    if (!u) return `table ${t.name} is missing on the target`;
    if (describe(t) !== describe(u)) return `table ${t.name} differs: ${describe(t)} vs ${describe(u)}`;
    other.delete(t.name);
  }
  const extra = [...other.keys()];
  return extra.length ? `table ${extra[0]} exists only on the target` : null;
}

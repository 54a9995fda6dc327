import { isPostgres } from '../../infra/db/schema-introspection.js';
import { forgetChanges, readChanges } from './change-capture.js';
import { TableChecksum, rowDigest } from './table-checksum.js';
import {
  type AnyDb,
  countRows,
  deleteByKeys,
  insertRows,
  keyString,
  linkSelfRefs,
  type Row,
  readPages,
  rowBytes,
  rowsByKeys,
  upsertRows,
} from './table-rows.js';
import type { CopyTable } from './tenant-tables.js';

export interface CopyProgress {
  rows: number;
  bytes: number;
}

/** Keys of rows written on the source since the bulk copy's snapshot, per table. */
export type ChangedKeys = Map<string, Map<string, unknown[]>>;

/**
 * Copies every church table from one consistent snapshot of the source into the (empty)
 * target, parents first; returns each source table's checksum, computed from the rows copied.
 */
export async function bulkCopy(
  source: AnyDb,
  target: AnyDb,
  tables: CopyTable[],
  progress: CopyProgress,
): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  let tx = source.transaction();
  if (isPostgres(source)) tx = tx.setIsolationLevel('repeatable read');
  await tx.execute(async (snapshot) => {
    for (const table of tables) {
      const sum = new TableChecksum(table.columns.map((c) => c.name));
      const linked: Row[] = [];
      await target.transaction().execute(async (trx) => {
        for await (const page of readPages(snapshot, table)) {
          await insertRows(trx, table, page);
          for (const row of page) {
            sum.add(row);
            progress.bytes += rowBytes(row);
            if (table.selfRefColumns.some((c) => row[c] != null)) linked.push(row);
          }
          progress.rows += page.length;
        }
        await linkSelfRefs(trx, table, linked);
      });
      sums.set(table.name, sum.value);
    }
  });
  return sums;
}

/** Each table's row count and checksum, read in full. */
export async function checksums(db: AnyDb, tables: CopyTable[]): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  for (const table of tables) {
    const sum = new TableChecksum(table.columns.map((c) => c.name));
    for await (const page of readPages(db, table)) for (const row of page) sum.add(row);
    sums.set(table.name, sum.value);
  }
  return sums;
}

/** The first table whose checksums differ, or null. */
export function checksumMismatch(a: Map<string, string>, b: Map<string, string>): string | null {
  for (const [table, sum] of a) if (b.get(table) !== sum) return `${table}: ${sum} vs ${b.get(table)}`;
  return null;
}

const BATCH = 5000;

/**
 * Brings the target up to date with the rows logged on the source: each logged row is read as
 * it is now and upserted on the target, or deleted there when it is gone (so replaying a change
 * twice is harmless). Deletes run children first, upserts parents first. Applied changes are
 * removed from the log and their keys remembered in `changed`. Returns how many were applied.
 */
export async function applyChanges(
  source: AnyDb,
  target: AnyDb,
  tables: CopyTable[],
  changed: ChangedKeys,
  progress: CopyProgress,
): Promise<number> {
  const byName = new Map(tables.map((t) => [t.name, t]));
  let applied = 0;
  for (;;) {
    const batch = await readChanges(source, BATCH);
    if (!batch.length) return applied;
    // Per table, keys in the order first written (a row a later one refers to comes first).
    const keys = new Map<string, Map<string, unknown[]>>();
    for (const c of batch) {
      if (!byName.has(c.table)) throw new Error(`change logged for unknown table ${c.table}`);
      const k = keys.get(c.table) ?? new Map<string, unknown[]>();
      k.set(JSON.stringify(c.key), c.key);
      keys.set(c.table, k);
      const all = changed.get(c.table) ?? new Map<string, unknown[]>();
      all.set(JSON.stringify(c.key), c.key);
      changed.set(c.table, all);
    }
    const present = new Map<string, Row[]>();
    const gone = new Map<string, unknown[][]>();
    for (const [name, k] of keys) {
      const table = byName.get(name)!;
      const rows = await rowsByKeys(source, table, [...k.values()]);
      const found = new Map(rows.map((r) => [keyString(table, r), r]));
      present.set(
        name,
        [...k.keys()].flatMap((s) => (found.has(s) ? [found.get(s)!] : [])),
      );
      gone.set(
        name,
        [...k.entries()].filter(([s]) => !found.has(s)).map(([, key]) => key),
      );
    }
    await target.transaction().execute(async (trx) => {
      for (const table of [...tables].reverse()) {
        const keysGone = gone.get(table.name);
        if (keysGone?.length) await deleteByKeys(trx, table, keysGone);
      }
      for (const table of tables) {
        const rows = present.get(table.name);
        if (!rows?.length) continue;
        await upsertRows(trx, table, rows);
        for (const r of rows) progress.bytes += rowBytes(r);
        progress.rows += rows.length;
      }
    });
    await forgetChanges(
      source,
      batch.map((c) => c.seq),
    );
    applied += batch.length;
    if (batch.length < BATCH) return applied;
  }
}

/**
 * Compares the rows of `pending` (keys written since the snapshot) on both sides; those equal
 * leave `pending`. Run after each catch-up round while the source still takes writes, a row
 * that differs is one written again since (its key is back in the log); under the freeze,
 * nothing may differ. Returns the first difference, or null.
 */
export async function settleChanged(
  source: AnyDb,
  target: AnyDb,
  tables: CopyTable[],
  pending: ChangedKeys,
): Promise<string | null> {
  let first: string | null = null;
  for (const table of tables) {
    const keys = pending.get(table.name);
    if (!keys?.size) continue;
    const cols = table.columns.map((c) => c.name);
    const digests = async (db: AnyDb) =>
      new Map(
        (await rowsByKeys(db, table, [...keys.values()])).map((r) => [
          keyString(table, r),
          rowDigest(cols, r).toString('hex'),
        ]),
      );
    const [x, y] = await Promise.all([digests(source), digests(target)]);
    for (const k of [...keys.keys()]) {
      if (x.get(k) === y.get(k)) keys.delete(k);
      else first ??= `${table.name}: row ${k} differs`;
    }
  }
  return first;
}

/**
 * The verification under the write freeze: every table has as many rows on both sides, and
 * every row written since the snapshot and not yet found equal is identical on both. With the
 * bulk copy's checksums, every row is then checked. Returns the first difference, or null.
 */
export async function verifyFrozen(
  source: AnyDb,
  target: AnyDb,
  tables: CopyTable[],
  pending: ChangedKeys,
): Promise<string | null> {
  const counts = await Promise.all(
    tables.map(async (t) => [t.name, await countRows(source, t), await countRows(target, t)] as const),
  );
  for (const [name, a, b] of counts)
    if (a !== b) return `${name}: ${a} rows on the source, ${b} on the target`;
  return settleChanged(source, target, tables, pending);
}

import path from 'node:path';
import Database from 'better-sqlite3';
import { round } from './bench.js';

/**
 * What a church that is not open costs at the least on SQLite, with no Steeple code (and no HTTP)
 * in the way: one thread, as a Node server has, opening a uniformly random church's file with the
 * pragmas Steeple sets, preparing and reading 20 people, keeping at most `cacheMax` files open
 * (least recently used closed first). Reads only, so it is an optimistic bound: a server whose
 * requests almost all miss the cache serves at most this rate, and `workers` closed-loop callers
 * then wait about workers / rate each (`impliedP50Ms`).
 */
export function sqliteOpenCeiling(
  dataDir: string,
  tenantIds: readonly string[],
  cacheMax: number,
  workers: number,
  seconds: number,
): { readsPerS: number; missPct: number; impliedP50Ms: number } {
  const open = new Map<string, Database.Database>();
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  let ops = 0;
  let misses = 0;
  try {
    while (performance.now() < until) {
      const id = tenantIds[Math.floor(Math.random() * tenantIds.length)]!;
      let db = open.get(id);
      if (db) open.delete(id);
      else {
        misses++;
        db = new Database(path.join(dataDir, 'tenants', `${id}.db`), { fileMustExist: true });
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
        db.pragma('synchronous = NORMAL');
      }
      open.set(id, db);
      db.prepare('select * from people order by last_name_key, first_name_key, id limit 20').all();
      if (open.size > cacheMax) {
        const [oldest, handle] = open.entries().next().value!;
        open.delete(oldest);
        handle.close();
      }
      ops++;
    }
  } finally {
    for (const db of open.values()) db.close();
  }
  const readsPerS = ops / ((performance.now() - t0) / 1000);
  return {
    readsPerS: round(readsPerS, 0),
    missPct: round((misses / ops) * 100, 1),
    impliedP50Ms: round((workers / readsPerS) * 1000, 1),
  };
}

import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../../src/infra/db/sqlite-statement-cache.js';
import { tempDataDir } from '../../helpers/config.js';

describe('SQLite statement cache', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  function open() {
    const data = tempDataDir();
    const db = new Database(path.join(data.dir, 'cache.db'));
    db.exec('create table t (n integer); insert into t values (1), (2), (3)');
    cleanups.push(() => {
      if (db.open) db.close();
      data.cleanup();
    });
    return db;
  }

  it('hands out the same compiled statement for the same SQL', () => {
    const cached = withStatementCache(open());
    const a = cached.prepare('select n from t where n > ?');
    const b = cached.prepare('select n from t where n > ?');
    expect(b).toBe(a);
    expect(b.all([1])).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('never hands out a statement that is still iterating (a streamed query)', () => {
    const cached = withStatementCache(open());
    const sql = 'select n from t order by n';
    const streaming = cached.prepare(sql);
    const rows = streaming.iterate([])[Symbol.iterator]();
    expect(rows.next().value).toEqual({ n: 1 });
    const other = cached.prepare(sql);
    expect(other).not.toBe(streaming);
    rows.return?.();
    expect(cached.prepare(sql)).toBe(streaming); // free again: the cached one is reused
  });

  it('stays bounded: the least recently used statement is dropped', () => {
    const cached = withStatementCache(open(), 2);
    const first = cached.prepare('select 1');
    const second = cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(first); // touched: now the most recent
    cached.prepare('select 3'); // evicts "select 2", the least recently used
    expect(cached.prepare('select 1')).toBe(first);
    expect(cached.prepare('select 2')).not.toBe(second);
  });
});

import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withFixedRows } from '../../../src/infra/db/sqlite-fixed-rows.js';
import { tempDataDir } from '../../helpers/config.js';

describe('SQLite fixed-shape rows', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  function open() {
    const data = tempDataDir();
    const db = new Database(path.join(data.dir, 'rows.db'));
    db.exec(`create table t (id integer primary key, name text, score real, data blob);
      insert into t values (1, 'a', 1.5, x'0102'), (2, null, null, null)`);
    cleanups.push(() => {
      if (db.open) db.close();
      data.cleanup();
    });
    return db;
  }

  it('builds the same rows as better-sqlite3: keys, order, values, a repeated name keeping the last', () => {
    const db = open();
    const sql = `select id, name, score, data, name as "id", 'x' as "a b" from t order by t.id`;
    const own = db.prepare(sql).all([]) as object[];
    const fixed = withFixedRows(db.prepare(sql));
    const rows = fixed.all([]) as object[];
    expect(rows).toEqual(own);
    expect(rows.map((r) => Object.keys(r))).toEqual(own.map((r) => Object.keys(r)));
    expect(rows[1]).toEqual({ id: null, name: null, score: null, data: null, 'a b': 'x' });
    expect([...fixed.iterate([])]).toEqual(own);
  });

  it('hands a `*` select out as it is, so its rows follow a schema change', () => {
    const db = open();
    const star = withFixedRows(db.prepare('select * from t where id = ?'));
    const named = withFixedRows(db.prepare('select id, name from t where id = ?'));
    db.exec(`alter table t add column extra text default 'new'`);
    expect(star.all([1])).toEqual([
      { id: 1, name: 'a', score: 1.5, data: Buffer.from([1, 2]), extra: 'new' },
    ]);
    expect(named.all([1])).toEqual([{ id: 1, name: 'a' }]);
  });

  it('leaves writing statements alone', () => {
    const db = open();
    const insert = withFixedRows(db.prepare('insert into t (id, name) values (?, ?)'));
    expect(insert.reader).toBe(false);
    expect(insert.run([3, 'c']).changes).toBe(1);
    const returning = withFixedRows(db.prepare('insert into t (id, name) values (?, ?) returning id, name'));
    expect(returning.all([4, 'd'])).toEqual([{ id: 4, name: 'd' }]);
  });
});

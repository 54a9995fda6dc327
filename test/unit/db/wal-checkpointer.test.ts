import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteHandle } from '../../../src/infra/db/sqlite.js';
import { WalCheckpointer } from '../../../src/infra/db/wal-checkpointer.js';
import { tempDataDir } from '../../helpers/config.js';

// What the database file alone holds, without its log: a copy opened on its own.
function rowsInMainFile(file: string, copy: string): number {
  fs.copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from notes').get() as { n: number }).n;
  } finally {
    db.close();
    fs.rmSync(copy, { force: true });
  }
}

describe('WalCheckpointer', () => {
  const data = tempDataDir();
  const checkpointer = new WalCheckpointer();
  afterAll(async () => {
    await checkpointer.close();
    data.cleanup();
  });

  it("copies a held connection's log into the database on a worker thread; the close then has nothing to copy", async () => {
    const file = path.join(data.dir, 'held.db');
    const copy = path.join(data.dir, 'copy.db');
    const setup = new Database(file);
    setup.pragma('journal_mode = WAL');
    setup.exec('create table notes (id integer primary key, body text)');
    setup.close(); // the last close empties the log: the table is in the file
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    raw.prepare('insert into notes (body) values (?)').run('written before close');
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    expect(rowsInMainFile(file, copy)).toBe(0);

    const onLoop = performance.now();
    const done = checkpointer.beforeClose(file);
    // The checkpoint runs elsewhere: this thread is back before it could have finished.
    expect(performance.now() - onLoop).toBeLessThan(50);
    await done;
    expect(rowsInMainFile(file, copy)).toBe(1);
    // The worker's connection was not the last one: the log and the index stay for ours.
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    raw.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('leaves a log without frames alone, and never throws for a file that is gone', async () => {
    const file = path.join(data.dir, 'clean.db');
    const handle = openSqliteHandle(file, { beforeClose: (f) => checkpointer.beforeClose(f) });
    await handle.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
    await handle.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    fs.writeFileSync(path.join(data.dir, 'gone.db-wal'), 'x');
    await expect(checkpointer.beforeClose(path.join(data.dir, 'gone.db'))).resolves.toBeUndefined();
  });
});

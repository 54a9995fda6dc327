import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openSqlite } from '../src/infra/db/sqlite.js';
import { migrateTenantDb } from '../src/tenancy/tenant-migrations.js';
import { type Bench, round, settledRss } from './lib/bench.js';
import { overwriteTenantFiles, sqliteFleet } from './lib/sqlite-fleet.js';

const TENANTS = 50;
const CACHE_KB = 2048;
const ROWS = 8000; // ~8 MB of 1 KB rows: more than the page-cache cap

async function seedFile(dir: string): Promise<string> {
  const file = path.join(dir, 'seed.db');
  const db = openSqlite(file);
  await migrateTenantDb(db);
  await sql`create table bench_rows (id integer primary key, name text not null, payload text not null)`.execute(
    db,
  );
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < ROWS; i += 500) {
      const values = Array.from(
        { length: 500 },
        (_, j) => sql`(${i + j}, ${`name ${i + j}`}, ${'x'.repeat(1000)})`,
      );
      await sql`insert into bench_rows (id, name, payload) values ${sql.join(values)}`.execute(trx);
    }
  });
  await sql`pragma wal_checkpoint(truncate)`.execute(db);
  await db.destroy();
  return file;
}

const bench: Bench = {
  name: 'sqlite-memory',
  title: `Memory per cached SQLite tenant handle (page cache capped at ${CACHE_KB} KB), ${TENANTS} tenants of ~8 MB each: after typical reads and after full scans.`,
  async run({ log }) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steeple-bench-seed-'));
    const seed = await seedFile(tmp);
    const fleet = await sqliteFleet(TENANTS, {
      TENANT_SQLITE_CACHE_KB: String(CACHE_KB),
      TENANT_CACHE_MAX: '100',
    });
    overwriteTenantFiles(fleet, seed);
    // Warm code paths on throwaway handles, then close them before the baseline.
    for (const id of fleet.ids.slice(0, 3)) {
      await fleet.manager.withTenant(id, (db) => sql`select count(*) from bench_rows`.execute(db));
    }
    await fleet.manager.sweepIdle(Date.now() + 365 * 24 * 3600_000);
    const base = settledRss();

    for (const id of fleet.ids) {
      await fleet.manager.withTenant(id, async (db) => {
        for (let i = 0; i < 50; i++) {
          await sql`select * from bench_rows where id = ${Math.floor(Math.random() * ROWS)}`.execute(db);
        }
        await sql`select id, name from bench_rows where id >= ${100} order by id limit 20`.execute(db);
        await db.selectFrom('church').selectAll().execute();
      });
    }
    const typical = (settledRss() - base) / TENANTS;
    log(`typical reads: ${round(typical / 1024)} KB per tenant`);

    for (const id of fleet.ids) {
      await fleet.manager.withTenant(id, (db) =>
        sql`select sum(length(payload)) from bench_rows`.execute(db),
      );
    }
    const full = (settledRss() - base) / TENANTS;
    log(`full scans: ${round(full / 1024)} KB per tenant`);
    const open = fleet.manager.getStats().open;
    await fleet.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    const kb = (b: number) => Math.round(b / 1024);
    return {
      metrics: {
        tenants: TENANTS,
        openHandles: open,
        cacheCapKb: CACHE_KB,
        perTenantTypicalKb: kb(typical),
        perTenantFullScanKb: kb(full),
        fullScanOverCapKb: kb(full) - CACHE_KB,
      },
      goals: [
        {
          label: 'per tenant after typical reads',
          target: '<= 1024 KB',
          actual: `${kb(typical)} KB`,
          pass: typical <= 1024 * 1024,
        },
        {
          label: 'per tenant after full scans',
          target: `<= cap + 300 KB (${CACHE_KB + 300} KB)`,
          actual: `${kb(full)} KB`,
          pass: kb(full) <= CACHE_KB + 300,
        },
      ],
      notes: [
        'Measured as the process RSS growth (after forced GC) divided by the number of open handles.',
        'Typical reads: 50 point reads by id, one 20-row range read and the church row per tenant.',
      ],
    };
  },
};
export default bench;

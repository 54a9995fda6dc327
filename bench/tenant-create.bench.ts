import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 } from 'uuid';
import { openSqlite } from '../src/infra/db/sqlite.js';
import { SqliteTemplates } from '../src/tenancy/sqlite-templates.js';
import { SqliteTenantDriver } from '../src/tenancy/sqlite-tenant-driver.js';
import { TENANT_SCHEMA_VERSION, migrateTenantDb } from '../src/tenancy/tenant-migrations.js';
import { type Bench, medianMs, round } from './lib/bench.js';

const RUNS = 200;

const bench: Bench = {
  name: 'tenant-create',
  title: `SQLite tenant creation: from the pre-migrated template (copy + first open) vs from DDL (empty file + ${TENANT_SCHEMA_VERSION} migrations) vs a bare file copy, ${RUNS} runs each, medians.`,
  async run({ log }) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steeple-bench-create-'));
    const driver = new SqliteTenantDriver({ dataDir, cacheKb: 2048 });
    const t0 = performance.now();
    const template = await new SqliteTemplates(dataDir).ensure();
    const buildMs = performance.now() - t0;
    const scratch = path.join(dataDir, 'scratch');
    fs.mkdirSync(scratch);

    // Interleaved per iteration so machine noise hits all three alike.
    const copy: number[] = [];
    const fromTemplate: number[] = [];
    const fromDdl: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      copy.push(await medianMs(1, () => fs.copyFileSync(template, path.join(scratch, `copy-${i}.db`))));
      fromTemplate.push(
        await medianMs(1, async () => {
          const tenantId = v7();
          await driver.create({ tenantId, serverUrl: null });
          const h = await driver.open({ tenantId, server: null, schemaVersion: TENANT_SCHEMA_VERSION });
          await h.close();
        }),
      );
      fromDdl.push(
        await medianMs(1, async () => {
          const db = openSqlite(path.join(scratch, `ddl-${i}.db`));
          await migrateTenantDb(db);
          await db.destroy();
        }),
      );
    }
    const med = (xs: number[]) => round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!, 3);
    const [c, t, d] = [med(copy), med(fromTemplate), med(fromDdl)];
    log(`copy ${c} ms, template ${t} ms, ddl ${d} ms`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    return {
      metrics: {
        templateBuildOnceMs: round(buildMs, 1),
        bareCopyMedianMs: c,
        fromTemplateMedianMs: t,
        fromDdlMedianMs: d,
        templateOverCopy: round(t / c),
        ddlOverTemplate: round(d / t),
      },
      goals: [
        {
          label: 'template vs bare file copy',
          target: '<= 4x',
          actual: `${round(t / c)}x (${t} vs ${c} ms)`,
          pass: t / c <= 4,
        },
        { label: 'template vs DDL', target: 'faster', actual: `${round(d / t)}x faster`, pass: t < d },
      ],
      notes: [
        'Template path = TenantProvisioning.createDatabase for SQLite (copy to a temp name + rename) plus the first open (WAL, pragmas) and close.',
        'PostgreSQL (CREATE DATABASE ... TEMPLATE) is not benchmarked here: every cleanup DROP DATABASE forces a checkpoint on the shared server.',
      ],
    };
  },
};
export default bench;

import fs from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { tenantMigrations } from '../../../migrations/tenant/index.js';
import { migrateFleet } from '../../../src/platform/fleet/fleet-migration.js';
import { listLedger } from '../../../src/platform/fleet/migration-ledger.repository.js';
import { sqliteTenantFile } from '../../../src/tenancy/tenant-id.js';
import { TENANT_SCHEMA_VERSION } from '../../../src/tenancy/tenant-migrations.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { runCli } from './cli-runner.js';
import { createTenancyFixture, type TenancyFixture } from './tenancy-fixture.js';

// A release that adds one tenant migration.
const NEXT = {
  ...tenantMigrations,
  '9999_fleet_probe': {
    // biome-ignore lint/suspicious/noExplicitAny: a migration works on any schema
    up: async (db: Kysely<any>) => {
      await db.schema
        .createTable('fleet_probe')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .execute();
    },
  },
};
const TARGET = TENANT_SCHEMA_VERSION + 1;
const COUNT = { sqlite: 200, postgres: 6 } as const;

describe.each(DIALECTS)('fleet migration on %s', (dialect) => {
  let f: TenancyFixture;
  afterEach(async () => {
    await f?.close();
  });

  it(`migrates ${COUNT[dialect]} tenants, records one failure, retries it, then is a no-op`, async () => {
    f = await createTenancyFixture(dialect, { TENANT_CACHE_MAX: '20', TENANT_CONNECTION_BUDGET: '12' });
    const ids: string[] = [];
    for (let i = 0; i < COUNT[dialect]; i++)
      ids.push(await f.addTenant({ schemaVersion: TENANT_SCHEMA_VERSION }));
    const bad = ids[3]!;
    // The bad tenant already has the table the new migration creates, so it fails there.
    await f.manager.withTenant(bad, (db) => sql`create table fleet_probe (x text)`.execute(db));

    const results: string[] = [];
    const first = await migrateFleet(f.catalog, f.manager, {
      migrations: NEXT,
      concurrency: 8,
      onResult: (r) => results.push(`${r.tenantId}:${r.status}`),
    });
    expect(first).toMatchObject({
      targetVersion: TARGET,
      total: ids.length,
      succeeded: ids.length - 1,
      failed: 1,
    });
    expect(results).toHaveLength(ids.length);
    const failed = await listLedger(f.catalog, TARGET, 'failed');
    expect(failed).toEqual([
      expect.objectContaining({ tenant_id: bad, from_version: TENANT_SCHEMA_VERSION, attempts: 1 }),
    ]);
    expect(failed[0]!.error).toMatch(/fleet_probe/);
    const versions = await f.catalog.selectFrom('tenants').select(['id', 'schema_version']).execute();
    for (const v of versions) expect(v.schema_version).toBe(v.id === bad ? TENANT_SCHEMA_VERSION : TARGET);
    await f.manager.withTenant(ids[0]!, (db) => sql`select count(*) from fleet_probe`.execute(db));

    // A plain re-run resumes: nothing left but the failed tenant, which waits for --retry-failed.
    expect(await migrateFleet(f.catalog, f.manager, { migrations: NEXT })).toMatchObject({
      total: 0,
      skippedFailed: 1,
    });

    await f.manager.withTenant(bad, (db) => sql`drop table fleet_probe`.execute(db));
    const retry = await migrateFleet(f.catalog, f.manager, { migrations: NEXT, retryFailed: true });
    expect(retry).toMatchObject({ total: 1, succeeded: 1, failed: 0 });
    const ledger = await listLedger(f.catalog, TARGET);
    expect(ledger).toHaveLength(ids.length);
    expect(ledger.every((r) => r.status === 'succeeded')).toBe(true);
    expect(ledger.find((r) => r.tenant_id === bad)).toMatchObject({ attempts: 2, error: null });

    expect(await migrateFleet(f.catalog, f.manager, { migrations: NEXT, retryFailed: true })).toMatchObject({
      total: 0,
      skippedFailed: 0,
      succeeded: 0,
      failed: 0,
    });
    expect(f.manager.getStats().potentialLeaks).toBe(0);
  }, 120_000);
});

describe('steeple tenants migrate|list', () => {
  let f: TenancyFixture;
  afterEach(async () => {
    await f?.close();
  });

  it('lists tenants, migrates those behind, prints JSON lines and exits 1 on a failure', async () => {
    f = await createTenancyFixture('sqlite');
    const behind = await f.addTenant({ schemaVersion: 0 });
    const current = await f.addTenant({ schemaVersion: TENANT_SCHEMA_VERSION });
    // createDatabase records the current version; pretend this one predates a release.
    await f.catalog.updateTable('tenants').set({ schema_version: 0 }).where('id', '=', behind).execute();
    const env = { DATA_DIR: f.dataDir };

    const list = await runCli(['tenants', 'list', '--json'], env);
    expect(list.code).toBe(0);
    const rows = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.id).sort()).toEqual([behind, current].sort());
    expect(rows[0]).toEqual({
      id: expect.any(String),
      slug: expect.any(String),
      status: 'active',
      server: 'sqlite',
      schemaVersion: expect.any(Number),
    });

    const ok = await runCli(['tenants', 'migrate', '--json', '--concurrency', '2'], env);
    expect(ok.code).toBe(0);
    const lines = ok.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      tenantId: behind,
      from: 0,
      to: TENANT_SCHEMA_VERSION,
      status: 'succeeded',
    });
    expect(lines.at(-1).summary).toMatchObject({ total: 1, succeeded: 1, failed: 0 });

    fs.rmSync(sqliteTenantFile(f.dataDir, current));
    await f.catalog.updateTable('tenants').set({ schema_version: 0 }).where('id', '=', current).execute();
    const failing = await runCli(['tenants', 'migrate'], env);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/0 migrated, 1 failed/);
    expect(fs.existsSync(sqliteTenantFile(f.dataDir, current))).toBe(false);
  }, 60_000);
});

import { sql } from 'kysely';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteTenantDriver } from '../../../src/tenancy/sqlite-tenant-driver.js';
import { TenantDbManager } from '../../../src/tenancy/tenant-db-manager.js';
import { TenantUnavailableError, UnknownTenantError } from '../../../src/tenancy/tenant-errors.js';
import { TENANT_SCHEMA_VERSION } from '../../../src/tenancy/tenant-migrations.js';
import { tempDataDir, testLogger } from '../../helpers/config.js';
import { FaultDriver, staticLocator } from './fault-driver.js';

describe('opening a spare ahead (warmSpare)', () => {
  const data = tempDataDir();
  const church = v7();
  const spare = v7();
  beforeAll(async () => {
    const driver = new SqliteTenantDriver({ dataDir: data.dir, cacheKb: 256 });
    for (const tenantId of [church, spare]) await driver.create({ tenantId, serverUrl: null });
  });
  afterAll(() => data.cleanup());

  const manager = (driver: FaultDriver) =>
    new TenantDbManager({
      // The catalog knows the church only: a spare has no church row until a signup takes it.
      locator: staticLocator([church], TENANT_SCHEMA_VERSION),
      drivers: { sqlite: driver },
      logger: testLogger(),
      cacheMax: 1,
      closeTimeoutMs: 1000,
      idleTimeoutMs: 60_000,
      connectionBudget: 80,
      acquireTimeoutMs: 2000,
    });

  it('opens a database the catalog does not name yet under its id, once; a lease then finds it open', async () => {
    const driver = new FaultDriver(new SqliteTenantDriver({ dataDir: data.dir, cacheKb: 256 }));
    const m = manager(driver);
    await expect(m.acquire(spare)).rejects.toBeInstanceOf(UnknownTenantError);
    const location = { tenantId: spare, server: null, schemaVersion: TENANT_SCHEMA_VERSION };
    await m.warmSpare(location);
    await m.warmSpare(location);
    expect(m.getStats()).toMatchObject({ open: 1, created: 1 });
    const rows = await m.withTenant(spare, (db) => sql<{ n: number }>`select 1 as n`.execute(db));
    expect(rows.rows[0]!.n).toBe(1);
    expect(m.getStats()).toMatchObject({ open: 1, created: 1 });
    await m.close();
  });

  it('never waits for room: with every slot leased it fails at once', async () => {
    const driver = new FaultDriver(new SqliteTenantDriver({ dataDir: data.dir, cacheKb: 256 }));
    const m = manager(driver);
    const lease = await m.acquire(church);
    const started = Date.now();
    const err = await m
      .warmSpare({ tenantId: spare, server: null, schemaVersion: TENANT_SCHEMA_VERSION })
      .catch((e) => e);
    expect(err).toBeInstanceOf(TenantUnavailableError);
    expect(Date.now() - started).toBeLessThan(500);
    lease.release();
    await m.close();
  });
});

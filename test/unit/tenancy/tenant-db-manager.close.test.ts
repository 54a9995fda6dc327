import { sql } from 'kysely';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteTenantDriver } from '../../../src/tenancy/sqlite-tenant-driver.js';
import { TenantDbManager } from '../../../src/tenancy/tenant-db-manager.js';
import { TENANT_SCHEMA_VERSION } from '../../../src/tenancy/tenant-migrations.js';
import { tempDataDir, testLogger } from '../../helpers/config.js';
import { FaultDriver, sleep, staticLocator } from './fault-driver.js';

describe('a driver whose close hangs', () => {
  const data = tempDataDir();
  const ids = [v7(), v7(), v7()];
  beforeAll(async () => {
    const driver = new SqliteTenantDriver({ dataDir: data.dir, cacheKb: 256 });
    for (const tenantId of ids) await driver.create({ tenantId, serverUrl: null });
  });
  afterAll(() => data.cleanup());

  it('is counted as a close timeout, does not block others, and counts as closed when it ends', async () => {
    const driver = new FaultDriver(new SqliteTenantDriver({ dataDir: data.dir, cacheKb: 256 }));
    driver.hangMs = 600;
    const manager = new TenantDbManager({
      locator: staticLocator(ids, TENANT_SCHEMA_VERSION),
      drivers: { sqlite: driver },
      logger: testLogger(),
      cacheMax: 1,
      closeTimeoutMs: 50,
      idleTimeoutMs: 60_000,
      connectionBudget: 80,
      acquireTimeoutMs: 1000,
    });
    await manager.withTenant(ids[0]!, async () => undefined);
    driver.nextClose = 'hang';
    // Opening the second tenant evicts the first; its close hangs far past the deadline.
    await manager.withTenant(ids[1]!, async (db) => sql`select 1`.execute(db));
    await manager.withTenant(ids[2]!, async (db) => sql`select 1`.execute(db));
    await sleep(100);
    const during = manager.getStats();
    expect(during.closeTimeouts).toBe(1);
    expect(during.potentialLeaks).toBe(1);
    await sleep(700);
    expect(manager.getStats()).toMatchObject({ closeTimeouts: 1, potentialLeaks: 0, closeErrors: 0 });
    await manager.close();
    expect(manager.getStats()).toMatchObject({ open: 0, potentialLeaks: 0 });
  });
});

import { catalogTenantLocator } from '../../src/platform/catalog-tenant-locator.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 } from 'uuid';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/infra/logger.js';
import { type CatalogDb, migrateCatalog, openCatalog } from '../../src/platform/catalog-db.js';
import { createTenancy } from '../../src/tenancy/create-tenancy.js';
import type { TenantDbManager, TenantDbManagerOptions } from '../../src/tenancy/tenant-db-manager.js';
import { sqliteTenantFile, tenantsDir } from '../../src/tenancy/tenant-id.js';
import { TENANT_SCHEMA_VERSION } from '../../src/tenancy/tenant-migrations.js';

export interface SqliteFleet {
  dataDir: string;
  catalog: CatalogDb;
  manager: TenantDbManager;
  ids: string[];
  close(): Promise<void>;
}

/**
 * A temporary DATA_DIR with a SQLite catalog and `count` tenants created from the template.
 * With `seedFile`, every tenant file is a copy of that file instead (pre-filled data).
 */
export async function sqliteFleet(
  count: number,
  env: Record<string, string> = {},
  overrides: Partial<TenantDbManagerOptions> = {},
): Promise<SqliteFleet> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steeple-bench-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...env });
  const logger = createLogger('silent');
  const catalog = openCatalog(config, logger);
  await migrateCatalog(catalog);
  const tenancy = createTenancy(config, { locator: catalogTenantLocator(catalog), logger }, overrides);
  const manager = tenancy.handles;
  const ids = Array.from({ length: count }, () => v7());
  const now = new Date().toISOString();
  for (let i = 0; i < ids.length; i += 200) {
    await catalog
      .insertInto('tenants')
      .values(
        ids.slice(i, i + 200).map((id) => ({
          id,
          slug: `bench-${id}`,
          name: 'Bench Church',
          status: 'active' as const,
          server_id: null,
          schema_version: TENANT_SCHEMA_VERSION,
          timezone: 'UTC',
          currency: 'USD',
          created_at: now,
          updated_at: now,
          last_active_at: null,
        })),
      )
      .execute();
  }
  for (const tenantId of ids) await tenancy.provisioning.createDatabase({ tenantId, serverUrl: null });
  return {
    dataDir,
    catalog,
    manager,
    ids,
    close: async () => {
      await tenancy.close();
      await catalog.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Replaces every tenant file with a copy of `file` (for benches that need data in each). */
export function overwriteTenantFiles(fleet: SqliteFleet, file: string): void {
  fs.mkdirSync(tenantsDir(fleet.dataDir), { recursive: true });
  for (const id of fleet.ids) fs.copyFileSync(file, sqliteTenantFile(fleet.dataDir, id));
}

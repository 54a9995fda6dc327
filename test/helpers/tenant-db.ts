import path from 'node:path';
import { openSqlite } from '../../src/infra/db/sqlite.js';
import { createPgPool, kyselyOverPool } from '../../src/infra/db/postgres.js';
import type { TenantDb, TenantDatabase } from '../../src/tenancy/tenant-database.js';
import { migrateTenantDb } from '../../src/tenancy/tenant-migrations.js';
import { testLogger, tempDataDir } from './config.js';
import { createTestPgDatabase, type Dialect } from './dialects.js';

/**
 * A migrated tenant database for repository and service tests, opened directly (no manager):
 * a SQLite file in a temp dir, or a fresh PostgreSQL database dropped on close.
 */
export async function createTestTenantDb(
  dialect: Dialect,
): Promise<{ db: TenantDb; close: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const data = tempDataDir();
    const db = openSqlite<TenantDatabase>(path.join(data.dir, 'tenant.db'));
    await migrateTenantDb(db);
    return {
      db,
      close: async () => {
        await db.destroy();
        data.cleanup();
      },
    };
  }
  const pgDb = await createTestPgDatabase('steeple_test_t');
  const db = kyselyOverPool<TenantDatabase>(createPgPool(pgDb.url, { max: 3 }, testLogger()));
  await migrateTenantDb(db);
  return {
    db,
    close: async () => {
      await db.destroy();
      await pgDb.drop();
    },
  };
}

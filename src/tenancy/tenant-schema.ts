import { describeTables, type TableShape } from '../infra/db/schema-introspection.js';
import { openSqlite } from '../infra/db/sqlite.js';
import { migrateTenantDb, type TenantMigrations } from './tenant-migrations.js';
import { tenantMigrations } from '../../migrations/tenant/index.js';

/**
 * The tables of a church database as this release's migrations build them, read from a
 * migrated in-memory SQLite database (so nothing on disk is created or touched).
 */
export async function describeTenantSchema(
  migrations: TenantMigrations = tenantMigrations,
): Promise<TableShape[]> {
  const db = openSqlite(':memory:');
  try {
    await migrateTenantDb(db, migrations);
    return await describeTables(db);
  } finally {
    await db.destroy();
  }
}

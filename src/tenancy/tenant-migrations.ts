import { type Kysely, type Migration, Migrator } from 'kysely';
import { tenantMigrations } from '../../migrations/tenant/index.js';

export type TenantMigrations = Record<string, Migration>;

/** The schema version a fully migrated tenant database has: the number of tenant migrations. */
export const TENANT_SCHEMA_VERSION = Object.keys(tenantMigrations).length;

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
function migratorFor(db: Kysely<any>, migrations: TenantMigrations): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'tenant_migrations',
    migrationLockTableName: 'tenant_migrations_lock',
    // Areas own name ranges, so a later area's migration may sort before an applied one.
    allowUnorderedMigrations: true,
  });
}

/**
 * Brings one tenant database to the latest schema; returns the resulting version. `migrations`
 * defaults to the real list (tests and benchmarks pass a longer one to simulate a release).
 */
export async function migrateTenantDb(
  // biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
  db: Kysely<any>,
  migrations: TenantMigrations = tenantMigrations,
): Promise<number> {
  const { error } = await migratorFor(db, migrations).migrateToLatest();
  if (error) throw error;
  return Object.keys(migrations).length;
}

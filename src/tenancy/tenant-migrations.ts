import { type Kysely, Migrator } from 'kysely';
import { tenantMigrations } from '../../migrations/tenant/index.js';

/** The schema version a fully migrated tenant database has: the number of tenant migrations. */
export const TENANT_SCHEMA_VERSION = Object.keys(tenantMigrations).length;

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
function migratorFor(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => tenantMigrations },
    migrationTableName: 'tenant_migrations',
    migrationLockTableName: 'tenant_migrations_lock',
  });
}

/** Brings one tenant database to the latest schema; returns the resulting version. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateTenantDb(db: Kysely<any>): Promise<number> {
  const { error } = await migratorFor(db).migrateToLatest();
  if (error) throw error;
  return TENANT_SCHEMA_VERSION;
}

import path from 'node:path';
import { type Kysely, Migrator, sql } from 'kysely';
import { catalogMigrations } from '../../migrations/catalog/index.js';
import type { Config } from '../config.js';
import { createPgPool, kyselyOverPool } from '../infra/db/postgres.js';
import { openSqlite } from '../infra/db/sqlite.js';
import type { Logger } from '../infra/logger.js';
import type { CatalogDatabase } from './catalog.table.js';
import { makePrivateDir } from '../infra/private-files.js';

export type CatalogDb = Kysely<CatalogDatabase>;

/** Opens the catalog: a SQLite file by default, PostgreSQL when DATABASE_URL is set. */
export function openCatalog(config: Pick<Config, 'catalog'>, log: Logger): CatalogDb {
  if (config.catalog.dialect === 'postgres') {
    const pool = createPgPool(
      config.catalog.url,
      { max: 10, statementTimeoutMs: 30_000, applicationName: 'steeple-catalog' },
      log,
    );
    return kyselyOverPool<CatalogDatabase>(pool);
  }
  makePrivateDir(path.dirname(config.catalog.file));
  return openSqlite<CatalogDatabase>(config.catalog.file);
}

/** Brings the catalog schema up to date; throws with the failing migration's error. */
export async function migrateCatalog(db: CatalogDb): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => catalogMigrations },
    migrationTableName: 'catalog_migrations',
    migrationLockTableName: 'catalog_migrations_lock',
    // Areas own number ranges (see migrations/catalog/index.ts), so a later area's file may sort earlier.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Cheap reachability check for readiness. */
export async function pingCatalog(db: CatalogDb): Promise<void> {
  await sql`select 1`.execute(db);
}

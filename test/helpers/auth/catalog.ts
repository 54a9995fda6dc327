import { type CatalogDb, migrateCatalog, openCatalog } from '../../../src/platform/catalog-db.js';
import { testConfig, testLogger, tempDataDir } from '../config.js';
import { createTestPgDatabase, type Dialect } from '../dialects.js';

/** A migrated catalog of one dialect (own temp dir or own PostgreSQL database), closed by `close`. */
export async function createTestCatalog(
  dialect: Dialect,
): Promise<{ db: CatalogDb; url?: string; close(): Promise<void> }> {
  const data = tempDataDir();
  const pgDb = dialect === 'postgres' ? await createTestPgDatabase() : undefined;
  const config = testConfig(data.dir, pgDb ? { DATABASE_URL: pgDb.url } : {});
  const db = openCatalog(config, testLogger());
  await migrateCatalog(db);
  return {
    db,
    ...(pgDb ? { url: pgDb.url } : {}),
    close: async () => {
      await db.destroy();
      await pgDb?.drop();
      data.cleanup();
    },
  };
}

/** A second handle on the same catalog (what another app instance would hold). */
export function openSameCatalog(pgUrl: string | undefined, dataDir: string): CatalogDb {
  return openCatalog(testConfig(dataDir, pgUrl ? { DATABASE_URL: pgUrl } : {}), testLogger());
}

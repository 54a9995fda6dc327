import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateCatalog, openCatalog, pingCatalog } from '../../src/platform/catalog-db.js';
import { testConfig, testLogger, tempDataDir } from '../helpers/config.js';
import { createTestPgDatabase, DIALECTS } from '../helpers/dialects.js';

describe.each(DIALECTS)('catalog on %s', (dialect) => {
  it('migrates from empty, is idempotent, and stores tenants', async () => {
    const data = tempDataDir();
    const pgDb = dialect === 'postgres' ? await createTestPgDatabase() : undefined;
    const config = testConfig(data.dir, pgDb ? { DATABASE_URL: pgDb.url } : {});
    const db = openCatalog(config, testLogger());
    try {
      const first = await migrateCatalog(db);
      expect(first).toContain('0001_tenants_and_servers');
      expect(await migrateCatalog(db)).toEqual([]);
      await pingCatalog(db);
      const now = new Date().toISOString();
      const row = {
        id: 't1',
        slug: 'grace',
        name: 'Grace',
        status: 'active' as const,
        server_id: null,
        timezone: 'UTC',
        currency: 'USD',
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('tenants').values(row).execute();
      await expect(
        db
          .insertInto('tenants')
          .values({ ...row, id: 't2' })
          .execute(),
      ).rejects.toThrow(/unique/i);
      const got = await db
        .selectFrom('tenants')
        .selectAll()
        .where('slug', '=', 'grace')
        .executeTakeFirstOrThrow();
      expect(got).toMatchObject({ id: 't1', schema_version: 0, last_active_at: null });
      const count = await sql<{ n: number }>`select count(*) as n from tenants`.execute(db);
      expect(Number(count.rows[0]!.n)).toBe(1);
    } finally {
      await db.destroy();
      await pgDb?.drop();
      data.cleanup();
    }
  });
});

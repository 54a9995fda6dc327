import { type App, type AppDeps, type BuildAppOptions, buildApp } from '../../src/app.js';
import { observeApiContract } from './contract/observe-app.js';
import type { Config, Env } from '../../src/config.js';
import { createServices, type Services } from '../../src/services.js';
import { testConfig, testLogger, tempDataDir } from './config.js';
import { quoteIdent } from '../../src/infra/db/postgres.js';
import { pgTenantDbName } from '../../src/tenancy/tenant-id.js';
import { createTestPgDatabase, type Dialect } from './dialects.js';
import { pgAdmin } from './pg-scratch.js';

/**
 * buildApp as every test builds it: with the API contract check installed, so each answer is
 * validated against the OpenAPI document. Tests never call buildApp directly.
 */
export function buildTestApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<App> {
  return buildApp(deps, { ...options, instrument: observeApiContract });
}

export interface TestStack {
  config: Config;
  services: Services;
  app: App;
  close(): Promise<void>;
}

/**
 * A real stack for one dialect: its own DATA_DIR, and for PostgreSQL its own catalog database.
 * Church databases of its catalog on the test PostgreSQL server (placed there through
 * TENANT_DB_SERVERS or a server added to its catalog, or left there by a move) are dropped on
 * close, however they were created.
 */
export async function createTestStack(dialect: Dialect, env: Env = {}): Promise<TestStack> {
  const data = tempDataDir();
  const pgDb = dialect === 'postgres' ? await createTestPgDatabase() : undefined;
  const config = testConfig(data.dir, { ...(pgDb ? { DATABASE_URL: pgDb.url } : {}), ...env });
  const services = await createServices(config, testLogger());
  const app = await buildTestApp(services.deps);
  return {
    config,
    services,
    app,
    close: async () => {
      await app.close();
      // Churches placed on a server now, and those moved off one: a move keeps the old
      // database there until its grace period ends.
      const { catalog } = services.deps;
      const placed = await catalog
        .selectFrom('tenants')
        .select('id')
        .where('server_id', 'is not', null)
        .union(
          catalog
            .selectFrom('tenant_moves')
            .select('tenant_id as id')
            .where('source_server_id', 'is not', null),
        )
        .execute()
        .catch(() => []);
      await services.close();
      for (const { id } of placed)
        await pgAdmin(`DROP DATABASE IF EXISTS ${quoteIdent(pgTenantDbName(id))} WITH (FORCE)`);
      await pgDb?.drop();
      data.cleanup();
    },
  };
}

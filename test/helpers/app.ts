import { type App, buildApp } from '../../src/app.js';
import type { Config, Env } from '../../src/config.js';
import { createServices, type Services } from '../../src/services.js';
import { testConfig, testLogger, tempDataDir } from './config.js';
import { createTestPgDatabase, type Dialect } from './dialects.js';

export interface TestStack {
  config: Config;
  services: Services;
  app: App;
  close(): Promise<void>;
}

/** A real stack for one dialect: its own DATA_DIR, and for PostgreSQL its own catalog database. */
export async function createTestStack(dialect: Dialect, env: Env = {}): Promise<TestStack> {
  const data = tempDataDir();
  const pgDb = dialect === 'postgres' ? await createTestPgDatabase() : undefined;
  const config = testConfig(data.dir, { ...(pgDb ? { DATABASE_URL: pgDb.url } : {}), ...env });
  const services = await createServices(config, testLogger());
  const app = await buildApp(services.deps);
  return {
    config,
    services,
    app,
    close: async () => {
      await app.close();
      await services.close();
      await pgDb?.drop();
      data.cleanup();
    },
  };
}

import type { Config } from '../config.js';
import type { Logger } from '../infra/logger.js';
import { type CatalogDb, migrateCatalog, openCatalog } from '../platform/catalog-db.js';
import { createServices, type Services } from '../services.js';

export type Context = () => Promise<{ config: Config; logger: Logger }>;

/**
 * Runs a command with the same services the API uses (no HTTP, no pre-warm, no background
 * loops; provisioning jobs run in this process). An error prints `steeple: CODE: message` and
 * its field errors, and sets exit code 1.
 */
export async function withCliServices(context: Context, fn: (s: Services) => Promise<void>): Promise<void> {
  const { config, logger } = await context();
  const services = await createServices(config, logger, {
    workers: false,
    background: false,
    prewarm: false,
  });
  try {
    await fn(services);
  } catch (err) {
    const e = err as { code?: string; message?: string; errors?: Array<{ path: string; message: string }> };
    console.error(`steeple: ${e.code ?? 'ERROR'}: ${e.message}`);
    for (const fe of e.errors ?? []) console.error(`  ${fe.path} ${fe.message}`);
    process.exitCode = 1;
  } finally {
    await services.close();
  }
}

/** Runs a command on the catalog alone (brought up to date first), then closes it. */
export async function withCatalog<T>(context: Context, fn: (catalog: CatalogDb) => Promise<T>): Promise<T> {
  const { config, logger } = await context();
  const catalog = openCatalog(config, logger);
  try {
    await migrateCatalog(catalog);
    return await fn(catalog);
  } finally {
    await catalog.destroy();
  }
}

import { catalogTenantLocator } from '../platform/catalog-tenant-locator.js';
import { type Command, InvalidArgumentError } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { migrateCatalog, openCatalog } from '../platform/catalog-db.js';
import { createTenancy } from '../tenancy/create-tenancy.js';
import { migrateFleet } from '../platform/fleet/fleet-migration.js';
import { isTenantId } from '../tenancy/tenant-id.js';
import { type Context, withCatalog } from './with-services.js';

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('must be an integer 1..1000');
  return n;
};
const tenantIdArg = (v: string) => {
  if (!isTenantId(v)) throw new InvalidArgumentError('must be a tenant id (lowercase UUID)');
  return v;
};

/** `steeple tenants migrate|list`: fleet operations over every church database. */
export function registerTenantCommands(program: Command, context: Context): void {
  const tenants = program.command('tenants').description('operate on every church database');

  tenants
    .command('migrate')
    .description('bring every church database to the current schema (resumable)')
    .option('--concurrency <n>', 'tenants migrated at once', positiveInt, 8)
    .option('--retry-failed', 'also retry tenants whose last attempt failed')
    .option('--tenant <id>', 'only this tenant', tenantIdArg)
    .option('--json', 'one JSON line per tenant, then a summary line')
    .action(async (o: { concurrency: number; retryFailed?: boolean; tenant?: string; json?: boolean }) => {
      const { config, logger } = await context();
      const catalog = openCatalog(config, logger);
      // Migrations are run (and recorded) by the fleet migrator, not implicitly on open.
      const tenancy = createTenancy(
        config,
        { locator: catalogTenantLocator(catalog), logger },
        { migrateOnOpen: false, cacheMax: Math.max(2 * o.concurrency, 4) },
      );
      const bar =
        !o.json && process.stdout.isTTY
          ? new SingleBar(
              { format: 'migrating [{bar}] {value}/{total} | ETA {eta_formatted} | failed {failed}' },
              Presets.shades_classic,
            )
          : undefined;
      let failed = 0;
      try {
        await migrateCatalog(catalog);
        const summary = await migrateFleet(catalog, tenancy.handles, {
          concurrency: o.concurrency,
          retryFailed: o.retryFailed,
          tenantId: o.tenant,
          onStart: (total) => bar?.start(total, 0, { failed: 0 }),
          onResult: (r) => {
            if (r.status === 'failed') failed++;
            if (o.json) console.log(JSON.stringify(r));
            else if (bar) bar.increment(1, { failed });
            else if (r.status === 'failed') console.log(`failed  ${r.tenantId} (${r.slug}): ${r.error}`);
          },
        });
        bar?.stop();
        if (o.json) console.log(JSON.stringify({ summary }));
        else {
          const skipped = summary.skippedFailed
            ? `, ${summary.skippedFailed} skipped (failed before; --retry-failed)`
            : '';
          console.log(
            `schema v${summary.targetVersion}: ${summary.succeeded} migrated, ${summary.failed} failed${skipped} ` +
              `of ${summary.total} in ${(summary.durationMs / 1000).toFixed(1)} s`,
          );
        }
        if (summary.failed > 0) process.exitCode = 1;
      } finally {
        bar?.stop();
        await tenancy.close();
        await catalog.destroy();
      }
    });

  tenants
    .command('list')
    .description('one line per church: id, slug, status, server, schema version')
    .option('--json', 'one JSON object per line')
    .action((o: { json?: boolean }) =>
      withCatalog(context, async (catalog) => {
        const rows = await catalog
          .selectFrom('tenants')
          .select(['id', 'slug', 'status', 'server_id', 'schema_version'])
          .orderBy('slug')
          .execute();
        for (const r of rows) {
          const t = {
            id: r.id,
            slug: r.slug,
            status: r.status,
            server: r.server_id ?? 'sqlite',
            schemaVersion: r.schema_version,
          };
          console.log(
            o.json
              ? JSON.stringify(t)
              : `${t.id}  ${t.slug.padEnd(40)} ${t.status.padEnd(12)} ${t.server.padEnd(36)} v${t.schemaVersion}`,
          );
        }
      }),
    );
}

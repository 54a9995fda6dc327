import type { Kysely } from 'kysely';
import { tenantMigrations } from '../migrations/tenant/index.js';
import { migrateFleet } from '../src/platform/fleet/fleet-migration.js';
import { type Bench, round } from './lib/bench.js';
import { sqliteFleet } from './lib/sqlite-fleet.js';

const TENANTS = 1000;
const CONCURRENCY = 8;

// What a release adds: one table with an index.
const NEXT = {
  ...tenantMigrations,
  '9999_bench_release': {
    // biome-ignore lint/suspicious/noExplicitAny: a migration works on any schema
    up: async (db: Kysely<any>) => {
      await db.schema
        .createTable('bench_release')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text')
        .execute();
      await db.schema.createIndex('bench_release_at_idx').on('bench_release').column('at').execute();
    },
  },
};

const bench: Bench = {
  name: 'fleet-migrate',
  title: `Fleet migration of ${TENANTS} SQLite tenants with one new migration, then the same run again as a no-op (concurrency ${CONCURRENCY}, ledger in a SQLite catalog).`,
  async run({ log }) {
    const fleet = await sqliteFleet(
      TENANTS,
      { TENANT_CACHE_MAX: String(CONCURRENCY * 4) },
      { migrateOnOpen: false },
    );
    const first = await migrateFleet(fleet.catalog, fleet.manager, {
      migrations: NEXT,
      concurrency: CONCURRENCY,
    });
    log(`migrate: ${first.succeeded} ok, ${first.failed} failed in ${first.durationMs} ms`);
    const noop = await migrateFleet(fleet.catalog, fleet.manager, {
      migrations: NEXT,
      concurrency: CONCURRENCY,
    });
    log(`no-op: ${noop.total} tenants in ${noop.durationMs} ms`);
    const s = fleet.manager.getStats();
    await fleet.close();
    const sec = (ms: number) => round(ms / 1000, 2);
    return {
      metrics: {
        tenants: TENANTS,
        concurrency: CONCURRENCY,
        migratedOk: first.succeeded,
        migrateFailed: first.failed,
        migrateS: sec(first.durationMs),
        perTenantMs: round(first.durationMs / TENANTS, 2),
        noopTenants: noop.total,
        noopS: sec(noop.durationMs),
        potentialLeaks: s.potentialLeaks,
      },
      goals: [
        {
          label: `migrate ${TENANTS} tenants`,
          target: '<= 10 s, 0 failed',
          actual: `${sec(first.durationMs)} s, ${first.failed} failed`,
          pass: first.durationMs <= 10_000 && first.failed === 0,
        },
        {
          label: 're-run as a no-op',
          target: '<= 2 s',
          actual: `${sec(noop.durationMs)} s`,
          pass: noop.durationMs <= 2000,
        },
      ],
      notes: [
        'Measured through migrateFleet (what `steeple tenants migrate` runs), excluding process start-up.',
      ],
    };
  },
};
export default bench;

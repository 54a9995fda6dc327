import { sql } from 'kysely';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tenantMigrations } from '../../../migrations/tenant/index.js';
import pg from 'pg';
import { quoteIdent, withDatabase } from '../../../src/infra/db/postgres.js';
import type { PostgresTenantDriver } from '../../../src/tenancy/postgres-tenant-driver.js';
import { pgTenantDbName } from '../../../src/tenancy/tenant-id.js';
import { createServices } from '../../../src/services.js';
import { tempDataDir, testConfig, testLogger } from '../../helpers/config.js';
import { adminPgUrl, adminQuery, DIALECTS } from '../../helpers/dialects.js';
import { createTenancyFixture, type TenancyFixture } from './tenancy-fixture.js';

// The full list plus 50 no-op migrations makes a template (`steeple_tpl_v62`) and spares
// (`steeple_spare_v62_*`) of this file's own on the shared server: a process running the real
// list (the nemesis run keeps spares) only prunes spares of versions older than its own.
const MIGRATIONS: typeof tenantMigrations = { ...tenantMigrations };
for (let i = 0; i < 50; i++) MIGRATIONS[`9000_spares_test_noop_${i}`] = { up: async () => {} };
const VERSION = Object.keys(MIGRATIONS).length;
const PREFIX = `steeple_spare_v${VERSION}_`;
const STALE = 'steeple_spare_v3_0123abcd_';

const pgOnly = DIALECTS.includes('postgres') ? describe : describe.skip;

async function databases(prefix: string): Promise<Map<string, number>> {
  const res = await adminQuery(
    'select datname, oid::int as oid from pg_database where starts_with(datname, $1)',
    [prefix],
  );
  return new Map((res.rows as Array<{ datname: string; oid: number }>).map((r) => [r.datname, r.oid]));
}

/** Sessions ever opened on a database (the cumulative statistics count them as they end). */
async function sessionsOn(name: string): Promise<number> {
  const res = await adminQuery('select sessions::int as n from pg_stat_database where datname = $1', [name]);
  return (res.rows[0] as { n: number } | undefined)?.n ?? 0;
}

async function oidOf(tenantId: string): Promise<number | undefined> {
  return (await databases(pgTenantDbName(tenantId))).values().next().value;
}

pgOnly('spare PostgreSQL tenant databases', () => {
  let f: TenancyFixture | undefined;
  const fixture = async (spares: number) => {
    f = await createTenancyFixture(
      'postgres',
      { TENANT_SPARE_DATABASES: String(spares) },
      { migrations: MIGRATIONS },
    );
    const driver = f.provisioning.driverFor({ serverUrl: f.serverUrl }) as PostgresTenantDriver;
    return { f, url: f.serverUrl!, spares: driver.spares };
  };

  afterEach(async () => {
    await f?.close();
    f = undefined;
    for (const name of [...(await databases(PREFIX)).keys(), ...(await databases(STALE)).keys()])
      await adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS steeple_tpl_v${VERSION} WITH (FORCE)`);
  });

  it('keeps N spares; a new church takes one by rename, works, and the pool is topped up again', async () => {
    const { f, url, spares } = await fixture(2);
    await spares.replenish(url);
    const before = await databases(PREFIX);
    expect(before.size).toBe(2);
    // Each was visited once, so its relation-cache file exists before a tenant's first connection.
    for (const name of before.keys()) await expect.poll(() => sessionsOn(name)).toBe(1);

    const id = await f.addTenant();
    // The tenant's database is one of the spares, renamed (same oid), not a new clone.
    expect([...before.values()]).toContain(await oidOf(id));
    expect((await databases(PREFIX)).size).toBe(1);
    const rows = await f.manager.withTenant(id, (db) =>
      sql<{ n: number }>`select count(*)::int as n from church`.execute(db),
    );
    expect(rows.rows[0]!.n).toBe(0);

    await spares.replenish(url); // the claim started the top-up; this waits for it
    expect((await databases(PREFIX)).size).toBe(2);
    expect(await f.metrics.metrics()).toMatch(
      /steeple_tenant_pg_databases_created_total\{source="spare"\} 1\n/,
    );
  }, 30_000);

  it('clones the template when no spare is left; two churches racing for one spare both get a database', async () => {
    const { f, url, spares } = await fixture(1);
    await spares.replenish(url);
    const [spareOid] = (await databases(PREFIX)).values();
    const ids = await Promise.all([f.addTenant(), f.addTenant()]);
    const oids = await Promise.all(ids.map(oidOf));
    expect(oids.every((o) => typeof o === 'number')).toBe(true);
    expect(oids.filter((o) => o === spareOid)).toHaveLength(1);
    const text = await f.metrics.metrics();
    expect(text).toMatch(/steeple_tenant_pg_databases_created_total\{source="spare"\} 1\n/);
    expect(text).toMatch(/steeple_tenant_pg_databases_created_total\{source="clone"\} 1\n/);
    // Retrying a create finds the database and changes nothing.
    await f.provisioning.createDatabase({ tenantId: ids[0]!, serverUrl: url });
    expect(await oidOf(ids[0]!)).toBe(oids[0]);
  }, 30_000);

  it('passes over a spare someone is connected to and clones instead', async () => {
    const { f, url, spares } = await fixture(1);
    await spares.replenish(url);
    const [spare] = (await databases(PREFIX)).keys();
    const intruder = new pg.Client({ connectionString: withDatabase(url, spare!) });
    await intruder.connect();
    try {
      const started = Date.now();
      const id = await f.addTenant();
      // Renaming it would have waited 5 s for the session to leave, then failed (55006).
      expect(Date.now() - started).toBeLessThan(4000);
      expect(await oidOf(id)).toBeTypeOf('number');
      expect((await databases(PREFIX)).has(spare!)).toBe(true);
    } finally {
      await intruder.end();
    }
  }, 30_000);

  it('prunes spares of other templates, and drops every spare of a server that takes no tenants', async () => {
    const { f, url, spares } = await fixture(1);
    await spares.replenish(url);
    const [current] = (await databases(PREFIX)).keys();
    // An older schema version, and this version built from another migration list.
    for (const stale of [`${STALE}00000001`, `${PREFIX}00000000_00000002`])
      await adminQuery(`CREATE DATABASE ${quoteIdent(stale)} TEMPLATE ${quoteIdent(current!)}`);
    await f.addTenant(); // takes the spare and starts a top-up, which prunes first
    await spares.replenish(url);
    expect([...(await databases(STALE)).keys()]).toEqual([]);
    const left = [...(await databases(PREFIX)).keys()];
    expect(left).toHaveLength(1);
    expect(left[0]).not.toBe(`${PREFIX}00000000_00000002`);

    await f.provisioning.keepSpares(url, false); // drained or full
    expect((await databases(PREFIX)).size).toBe(0);
  }, 30_000);

  it('is off in a one-shot process (a CLI command): it neither claims nor keeps spares', async () => {
    const data = tempDataDir();
    const services = await createServices(
      testConfig(data.dir, { TENANT_SPARE_DATABASES: '5', TENANT_DB_SERVERS: adminPgUrl() }),
      testLogger(),
      { background: false, prewarm: false, workers: false },
    );
    try {
      const driver = services.deps.provisioning.driverFor({
        serverUrl: adminPgUrl(),
      }) as PostgresTenantDriver;
      expect(driver.spares.enabled).toBe(false);
    } finally {
      await services.close();
      data.cleanup();
    }
  });

  it('with TENANT_SPARE_DATABASES=0 makes none and clones on demand', async () => {
    const { f, url } = await fixture(0);
    await f.provisioning.keepSpares(url, true);
    const id = await f.addTenant();
    expect(await oidOf(id)).toBeTypeOf('number');
    expect((await databases(PREFIX)).size).toBe(0);
  });
});

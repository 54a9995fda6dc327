import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/errors/app-error.js';
import { quoteIdent } from '../../../src/infra/db/postgres.js';
import { catalogSpareLedger } from '../../../src/platform/catalog-spare-ledger.js';
import { catalogTenantLocator } from '../../../src/platform/catalog-tenant-locator.js';
import { listDbServers } from '../../../src/platform/db-servers.js';
import { provisionRegistration } from '../../../src/platform/registrations/provisioner.js';
import type { RegistrationInput } from '../../../src/platform/registrations/registration.service.js';
import { RegistrationService } from '../../../src/platform/registrations/registration.service.js';
import { seedChurch } from '../../../src/domain/church/seed-church.js';
import type { SpareDatabase } from '../../../src/platform/spare-databases.table.js';
import { createServices } from '../../../src/services.js';
import { createTenancy } from '../../../src/tenancy/create-tenancy.js';
import type { PostgresTenantDriver } from '../../../src/tenancy/postgres-tenant-driver.js';
import type { TenantServer } from '../../../src/tenancy/tenant-driver.js';
import { pgTenantDbName } from '../../../src/tenancy/tenant-id.js';
import { tempDataDir, testConfig, testLogger } from '../../helpers/config.js';
import { adminPgUrl, adminQuery, DIALECTS } from '../../helpers/dialects.js';
import { createRegistrationHarness, type RegistrationHarness } from '../../helpers/registration-harness.js';

const pgOnly = DIALECTS.includes('postgres') ? describe.each(DIALECTS) : describe.skip.each(DIALECTS);

const input = (slug: string): RegistrationInput => ({
  church: { name: `Church ${slug}`, slug, timezone: 'UTC', currency: 'USD' },
  admin: { name: 'Ana Diaz', email: `ana@${slug}.example`, password: 'correct horse battery' },
});

async function oidOf(tenantId: string): Promise<number | undefined> {
  const res = await adminQuery('select oid::int as oid from pg_database where datname = $1', [
    pgTenantDbName(tenantId),
  ]);
  return (res.rows[0] as { oid: number } | undefined)?.oid;
}

/** Backends this process's tenant pools hold on a database. */
async function tenantSessions(tenantId: string): Promise<number[]> {
  const res = await adminQuery(
    "select pid from pg_stat_activity where datname = $1 and application_name = 'steeple-tenant'",
    [pgTenantDbName(tenantId)],
  );
  return (res.rows as Array<{ pid: number }>).map((r) => r.pid);
}

const FAKE_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';

let h: RegistrationHarness | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await h?.close();
  h = undefined;
}, 120_000);

// Tenant databases live on the test PostgreSQL server; the catalog (which holds the spares'
// rows) is each dialect in turn.
pgOnly('spare PostgreSQL tenant databases, catalog on %s', (dialect) => {
  const harness = async (spares: number, maxAttempts = 3, hashPassword?: () => Promise<string>) => {
    h = await createRegistrationHarness(dialect, {
      servers: [adminPgUrl()],
      env: { TENANT_SPARE_DATABASES: String(spares) },
      maxAttempts,
      hashPassword,
    });
    const [server] = await listDbServers(h.catalog);
    const driver = h.provisioning.driverFor({ serverUrl: server!.url }) as PostgresTenantDriver;
    return { h, server: server as TenantServer, spares: driver.spares };
  };
  const rows = (): Promise<SpareDatabase[]> =>
    h!.catalog.selectFrom('spare_databases').selectAll().orderBy('tenant_id').execute();

  it('keeps N spares named steeple_t_<id>, the oldest open ahead; a signup takes the oldest in its record transaction', async () => {
    const { h, server, spares } = await harness(3);
    await spares.replenish(server);
    const before = await rows();
    expect(before.map((r) => r.state)).toEqual(['ready', 'ready', 'ready']);
    for (const r of before) expect(await oidOf(r.tenant_id)).toBeTypeOf('number');
    const oldest = before[0]!.tenant_id;
    const warm = await tenantSessions(oldest);
    expect(warm).toHaveLength(1);
    expect(await tenantSessions(before[1]!.tenant_id)).toHaveLength(1);
    expect(await tenantSessions(before[2]!.tenant_id)).toHaveLength(0);
    const oid = await oidOf(oldest);

    const reg = await h.service.submit(input('first-spare'));
    // Recorded with the spare's id, its database step already done.
    expect(reg).toMatchObject({ tenant_id: oldest, step: 'database' });
    const done = await h.service.waitFor(reg.id, 20_000);
    expect(done.status).toBe('ready');
    expect(await oidOf(oldest)).toBe(oid);
    // Seeded over the connection opened ahead: no new backend.
    expect(await tenantSessions(oldest)).toContain(warm[0]);
    const users = await h.manager.withTenant(oldest, (db) => db.selectFrom('users').selectAll().execute());
    expect(users).toHaveLength(1);
    expect((await rows()).map((r) => r.tenant_id)).not.toContain(oldest);

    await spares.replenish(server); // the signup started the top-up; this waits for it
    expect((await rows()).filter((r) => r.state === 'ready')).toHaveLength(3);
  }, 60_000);

  it('a signup rolled back in its transaction returns the spare; a registration that fails drops it', async () => {
    const { h, server, spares } = await harness(2, 1);
    await spares.replenish(server);
    const first = await h.service.submit(input('taken-slug'));
    await h.service.waitFor(first.id, 20_000);
    const left = (await rows()).map((r) => r.tenant_id);
    const err = (await h.service.submit(input('taken-slug')).catch((e) => e)) as AppError;
    expect(err.code).toBe('CONFLICT');
    // (A top-up may have added one meanwhile.)
    expect((await rows()).map((r) => r.tenant_id)).toEqual(expect.arrayContaining(left));

    h.provisioner.afterStep = () => {
      throw new Error('seed exploded');
    };
    const doomed = await h.service.submit(input('doomed'));
    expect(doomed.tenant_id).toBe(left[0]);
    expect((await h.service.waitFor(doomed.id, 20_000)).status).toBe('failed');
    await h.idle();
    expect(await oidOf(doomed.tenant_id)).toBeUndefined();
    expect(
      await h.catalog.selectFrom('tenants').where('id', '=', doomed.tenant_id).select('id').execute(),
    ).toEqual([]);
  }, 60_000);

  it('a crash after the seed of a signup that took a spare is finished by the retry', async () => {
    const { h, server, spares } = await harness(1);
    await spares.replenish(server);
    const [spare] = await rows();
    let crashed = false;
    h.provisioner.afterStep = (s) => {
      if (s === 'seeded' && !crashed) {
        crashed = true;
        throw new Error('simulated crash');
      }
    };
    const reg = await h.service.submit(input('crash-spare'));
    expect(reg.tenant_id).toBe(spare!.tenant_id);
    expect((await h.service.waitFor(reg.id, 20_000)).status).toBe('ready');
    expect(crashed).toBe(true);
    const users = await h.manager.withTenant(reg.tenant_id, (db) =>
      db.selectFrom('users').selectAll().execute(),
    );
    expect(users).toHaveLength(1);
  }, 60_000);

  it('a spare row whose database is gone: the first attempt fails, the retry creates the database', async () => {
    const { h, server } = await harness(1);
    // Older than any real spare, so it is the one taken; no database behind it.
    const ghost = '00000000-0000-7000-8000-000000000001';
    await catalogSpareLedger(h.catalog).add(server.id, {
      tenantId: ghost,
      ...h.provisioning.spareTemplate!,
    });
    await catalogSpareLedger(h.catalog).markReady(ghost);
    cleanups.push(async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(pgTenantDbName(ghost))} WITH (FORCE)`);
    });
    const reg = await h.service.submit(input('ghost-spare'));
    expect(reg.tenant_id).toBe(ghost);
    const done = await h.service.waitFor(reg.id, 20_000);
    expect(done).toMatchObject({ status: 'ready', attempts: 2 });
    expect(await oidOf(ghost)).toBeTypeOf('number');
  }, 60_000);

  it('prunes other templates and what a dead process left, and drops every spare of a server that takes no tenants', async () => {
    const { h, server, spares } = await harness(1);
    await spares.replenish(server);
    const [current] = await rows();
    const ledger = catalogSpareLedger(h.catalog);
    const mine = h.provisioning.spareTemplate!;
    const ids = {
      olderVersion: '00000000-0000-7000-8000-00000000000a',
      otherTemplate: '00000000-0000-7000-8000-00000000000b',
      dropping: '00000000-0000-7000-8000-00000000000c',
      staleCreating: '00000000-0000-7000-8000-00000000000d',
      freshCreating: '00000000-0000-7000-8000-00000000000e',
    };
    // A spare of the earlier layout (renamed by a signup, no catalog row).
    const renamedSpare = `steeple_spare_v1_deadbeef_${Date.now().toString(16).slice(-8)}`;
    await adminQuery(`CREATE DATABASE ${quoteIdent(renamedSpare)}`);
    cleanups.push(async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(renamedSpare)}`);
    });
    for (const id of Object.values(ids)) {
      await adminQuery(`CREATE DATABASE ${quoteIdent(pgTenantDbName(id))}`);
      cleanups.push(async () => {
        await adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(pgTenantDbName(id))} WITH (FORCE)`);
      });
    }
    await ledger.add(server.id, { tenantId: ids.olderVersion, schemaVersion: 3, template: mine.template });
    await ledger.add(server.id, { tenantId: ids.otherTemplate, ...mine, template: '0123456789abcdef' });
    await ledger.add(server.id, { tenantId: ids.dropping, ...mine });
    await ledger.add(server.id, { tenantId: ids.staleCreating, ...mine });
    await ledger.add(server.id, { tenantId: ids.freshCreating, ...mine });
    for (const id of [ids.olderVersion, ids.otherTemplate]) await ledger.markReady(id);
    await ledger.take(ids.dropping);
    await h.catalog
      .updateTable('spare_databases')
      .set({ created_at: new Date(Date.now() - 3600_000).toISOString() })
      .where('tenant_id', '=', ids.staleCreating)
      .execute();

    await spares.replenish(server);
    const kept = (await rows()).map((r) => r.tenant_id).sort();
    // Another process may be cloning the fresh one right now: it stays.
    expect(kept).toEqual([ids.freshCreating, current!.tenant_id].sort());
    for (const id of [ids.olderVersion, ids.otherTemplate, ids.dropping, ids.staleCreating])
      expect(await oidOf(id)).toBeUndefined();
    expect(await oidOf(current!.tenant_id)).toBeTypeOf('number');
    expect((await adminQuery('select 1 from pg_database where datname = $1', [renamedSpare])).rowCount).toBe(
      0,
    );

    await h.provisioning.keepSpares(server, false); // drained or full
    expect(await rows()).toEqual([]);
    expect(await oidOf(current!.tenant_id)).toBeUndefined();
    expect(await oidOf(ids.freshCreating)).toBeUndefined();
  }, 60_000);

  it('two instances racing for spares: each signup takes a different one', async () => {
    // No hash delay, so the four record transactions overlap.
    const hashPassword = async () => FAKE_HASH;
    const { h, server, spares } = await harness(4, 3, hashPassword);
    await spares.replenish(server);
    const spareIds = (await rows()).map((r) => r.tenant_id);
    // A second instance over the same catalog, with its own handle cache and no spares open.
    const logger = testLogger();
    const data = tempDataDir();
    const other = createTenancy(testConfig(data.dir, { TENANT_SPARE_DATABASES: '4' }), {
      locator: catalogTenantLocator(h.catalog),
      spareLedger: catalogSpareLedger(h.catalog),
      logger,
    });
    cleanups.push(async () => {
      await other.close();
      data.cleanup();
    });
    const otherService = new RegistrationService({
      catalog: h.catalog,
      logger,
      hashPassword,
      schemaVersion: other.provisioning.schemaVersion,
      spares: other.provisioning.spareTemplate,
      dispatch: async (id) => {
        for (let i = 0; i < 3; i++) {
          const out = await provisionRegistration(
            {
              ...h.provisioner,
              tenants: other.handles,
              provisioning: other.provisioning,
              seedTenant: seedChurch,
              settled: otherService.settled,
            },
            id,
          );
          if (out !== 'retry') return;
        }
      },
    });
    const regs = await Promise.all([
      h.service.submit(input('race-a')),
      otherService.submit(input('race-b')),
      h.service.submit(input('race-c')),
      otherService.submit(input('race-d')),
    ]);
    // Each took a spare, none the same: none queued behind another's row and came away empty.
    expect(new Set(regs.map((r) => r.tenant_id))).toEqual(new Set(spareIds));
    for (const r of regs) {
      const service = ['race-b', 'race-d'].includes(r.slug) ? otherService : h.service;
      expect((await service.waitFor(r.id, 30_000)).status).toBe('ready');
    }
    const oids = await Promise.all(regs.map((r) => oidOf(r.tenant_id)));
    expect(new Set(oids).size).toBe(4);
    for (const r of regs) {
      const tenants = ['race-b', 'race-d'].includes(r.slug) ? other.handles : h.manager;
      const n = await tenants.withTenant(r.tenant_id, (db) =>
        sql<{ n: number }>`select count(*)::int as n from users`.execute(db),
      );
      expect(n.rows[0]!.n).toBe(1);
    }
  }, 90_000);

  it('with TENANT_SPARE_DATABASES=0 makes and takes none, and clones on demand', async () => {
    const { h, server } = await harness(0);
    expect(h.provisioning.spareTemplate).toBeUndefined();
    await h.provisioning.keepSpares(server, true);
    const reg = await h.service.submit(input('no-spares'));
    expect(reg.step).toBe('reserved');
    expect((await h.service.waitFor(reg.id, 20_000)).status).toBe('ready');
    expect(await oidOf(reg.tenant_id)).toBeTypeOf('number');
    expect(await rows()).toEqual([]);
  }, 60_000);
});

describe.skipIf(!DIALECTS.includes('postgres'))('spares in a one-shot process', () => {
  it('is off in a one-shot process (a CLI command): it neither takes nor keeps spares', async () => {
    const data = tempDataDir();
    const services = await createServices(
      testConfig(data.dir, { TENANT_SPARE_DATABASES: '5', TENANT_DB_SERVERS: adminPgUrl() }),
      testLogger(),
      { background: false, prewarm: false, workers: false },
    );
    try {
      expect(services.deps.provisioning.spareTemplate).toBeUndefined();
    } finally {
      await services.close();
      data.cleanup();
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { v7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { pgTenantDbName, sqliteTenantFile } from '../../../src/tenancy/tenant-id.js';
import {
  InvalidTenantIdError,
  TenantUnavailableError,
  UnknownTenantError,
} from '../../../src/tenancy/tenant-errors.js';
import { TENANT_SCHEMA_VERSION } from '../../../src/tenancy/tenant-migrations.js';
import { adminQuery, DIALECTS } from '../../helpers/dialects.js';
import { createTenancyFixture, type TenancyFixture } from './tenancy-fixture.js';

async function databaseExists(f: TenancyFixture, tenantId: string): Promise<boolean> {
  if (!f.serverUrl) return fs.existsSync(sqliteTenantFile(f.dataDir, tenantId));
  const r = await adminQuery('select 1 from pg_database where datname = $1', [pgTenantDbName(tenantId)]);
  return (r.rowCount ?? 0) > 0;
}

describe.each(DIALECTS)('TenantDbManager on %s', (dialect) => {
  let f: TenancyFixture;
  afterEach(async () => {
    await f?.close();
  });

  it('creates from the template, opens once, reuses the handle and records the schema version', async () => {
    f = await createTenancyFixture(dialect);
    const id = await f.addTenant();
    const tables = await f.manager.withTenant(id, async (db) =>
      db.introspection.getTables().then((ts) => ts.map((t) => t.name)),
    );
    expect(tables).toEqual(expect.arrayContaining(['church', 'audit_log']));
    const a = await f.manager.acquire(id);
    const b = await f.manager.acquire(id);
    expect(a.db).toBe(b.db);
    a.release();
    b.release();
    const row = await f.catalog
      .selectFrom('tenants')
      .select('schema_version')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row?.schema_version).toBe(TENANT_SCHEMA_VERSION);
    const s = f.manager.getStats();
    expect(s).toMatchObject({ created: 1, open: 1, leased: 0, potentialLeaks: 0 });
    expect(s.connections).toBe(dialect === 'postgres' ? 2 : 0);
  });

  it('shares one open between concurrent first requests', async () => {
    f = await createTenancyFixture(dialect);
    const id = await f.addTenant();
    const leases = await Promise.all(Array.from({ length: 10 }, () => f.manager.acquire(id)));
    expect(new Set(leases.map((l) => l.db)).size).toBe(1);
    expect(f.manager.getStatus()[0]).toMatchObject({ tenantId: id, leases: 10 });
    for (const l of leases) l.release();
    expect(f.manager.getStats().created).toBe(1);
  });

  it('refuses malformed ids before touching anything', async () => {
    f = await createTenancyFixture(dialect);
    const before = fs.readdirSync(f.dataDir, { recursive: true });
    const bad = ['../x', '%2e%2e%2f', 'a\0b', `${v7().toUpperCase()}`, 'x'.repeat(300), `${v7()}/..`, ''];
    for (const id of bad) await expect(f.manager.acquire(id)).rejects.toBeInstanceOf(InvalidTenantIdError);
    await expect(
      f.provisioning.createDatabase({ tenantId: '../../etc', serverUrl: f.serverUrl }),
    ).rejects.toThrow();
    expect(fs.readdirSync(f.dataDir, { recursive: true })).toEqual(before);
    expect(f.manager.getStats().created).toBe(0);
  });

  it('never creates a database for an unknown tenant', async () => {
    f = await createTenancyFixture(dialect);
    const id = v7();
    const err = await f.manager.acquire(id).catch((e) => e);
    expect(err).toBeInstanceOf(UnknownTenantError);
    expect(err.status).toBe(404);
    expect(await databaseExists(f, id)).toBe(false);
  });

  it('fails a tenant whose database is missing with 503, alone', async () => {
    f = await createTenancyFixture(dialect);
    const good = await f.addTenant();
    const missing = await f.addTenant({ create: false });
    const err = await f.manager.acquire(missing).catch((e) => e);
    expect(err).toBeInstanceOf(TenantUnavailableError);
    expect(err).toMatchObject({ status: 503, code: 'TENANT_UNAVAILABLE' });
    expect(err.retryAfter).toBeGreaterThan(0);
    expect(await databaseExists(f, missing)).toBe(false);
    await expect(
      f.manager.withTenant(good, async (db) => sql`select 1 as x`.execute(db)),
    ).resolves.toBeTruthy();
    expect(f.manager.getStats()).toMatchObject({ openErrors: 1, potentialLeaks: 0 });
  });

  it('drops a database after closing its handle, idempotently, and verifies it is gone', async () => {
    f = await createTenancyFixture(dialect);
    const id = await f.addTenant();
    await f.provisioning.createDatabase({ tenantId: id, serverUrl: f.serverUrl }); // idempotent
    await f.manager.withTenant(id, async (db) => sql`select 1`.execute(db));
    expect(f.manager.getStats().open).toBe(1);
    await f.provisioning.dropDatabase({ tenantId: id, serverUrl: f.serverUrl });
    await f.provisioning.dropDatabase({ tenantId: id, serverUrl: f.serverUrl });
    expect(f.manager.getStats()).toMatchObject({ open: 0, closed: 1, potentialLeaks: 0 });
    expect(await databaseExists(f, id)).toBe(false);
    if (!f.serverUrl) {
      const file = sqliteTenantFile(f.dataDir, id);
      for (const suffix of ['', '-wal', '-shm']) expect(fs.existsSync(file + suffix)).toBe(false);
    }
    await expect(f.manager.acquire(id)).rejects.toBeInstanceOf(TenantUnavailableError);
  });

  it('evicts the least recently used idle handle and waits (bounded) when all are leased', async () => {
    f = await createTenancyFixture(dialect, { TENANT_CACHE_MAX: '2', TENANT_ACQUIRE_TIMEOUT_MS: '200' });
    const [a, b, c] = [await f.addTenant(), await f.addTenant(), await f.addTenant()];
    const la = await f.manager.acquire(a);
    const lb = await f.manager.acquire(b);
    const started = Date.now();
    const err = await f.manager.acquire(c).catch((e) => e);
    expect(err).toBeInstanceOf(TenantUnavailableError);
    expect(Date.now() - started).toBeLessThan(5000);
    lb.release();
    const lc = await f.manager.acquire(c);
    expect(f.manager.getStatus().map((s) => s.tenantId)).toEqual([a, c]);
    la.release();
    lc.release();
    expect(f.manager.getStats()).toMatchObject({ evicted: 1, open: 2 });
  });

  it('evict: the next acquire opens a new handle; a leased old one closes when released', async () => {
    f = await createTenancyFixture(dialect);
    const id = await f.addTenant();
    const old = await f.manager.acquire(id);
    f.manager.evict(id);
    const fresh = await f.manager.acquire(id);
    expect(fresh.db).not.toBe(old.db);
    await sql`select 1`.execute(old.db); // still usable until released
    expect(f.manager.getStats()).toMatchObject({ open: 2, closed: 0 });
    old.release();
    await expect.poll(() => f.manager.getStats().closed).toBe(1);
    fresh.release();
    f.manager.evict(id); // idle: closed at once
    await expect.poll(() => f.manager.getStats()).toMatchObject({ open: 0, closed: 2, potentialLeaks: 0 });
  });

  it('closes idle handles in a sweep, and drains leases on shutdown', async () => {
    f = await createTenancyFixture(dialect);
    const [a, b] = [await f.addTenant(), await f.addTenant()];
    await f.manager.withTenant(a, async () => undefined);
    const lb = await f.manager.acquire(b);
    expect(await f.manager.sweepIdle(Date.now() + 31 * 60_000)).toBe(1);
    expect(f.manager.getStats()).toMatchObject({ idleClosed: 1, open: 1 });
    const closing = f.manager.close();
    await expect(f.manager.acquire(a)).rejects.toBeInstanceOf(TenantUnavailableError);
    await sql`select 1`.execute(lb.db); // still usable while leased during the drain
    lb.release();
    await closing;
    expect(f.manager.getStats()).toMatchObject({ open: 0, closing: 0, potentialLeaks: 0 });
  });
});

describe('SQLite tenant files', () => {
  let f: TenancyFixture;
  afterEach(async () => {
    await f?.close();
  });

  it('a corrupt file fails that tenant alone', async () => {
    f = await createTenancyFixture('sqlite');
    const good = await f.addTenant();
    const bad = await f.addTenant();
    fs.writeFileSync(sqliteTenantFile(f.dataDir, bad), 'this is not a database'.repeat(100));
    await expect(f.manager.acquire(bad)).rejects.toBeInstanceOf(TenantUnavailableError);
    await expect(f.manager.withTenant(good, async (db) => sql`select 1`.execute(db))).resolves.toBeTruthy();
  });

  it('closes the file of a handle that never ran a query (pre-warm, eviction)', async () => {
    f = await createTenancyFixture('sqlite');
    const id = await f.addTenant();
    const file = sqliteTenantFile(f.dataDir, id);
    const openFds = () =>
      fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(file);
        } catch {
          return false;
        }
      }).length;
    (await f.manager.acquire(id)).release();
    expect(openFds()).toBeGreaterThan(0);
    await f.manager.sweepIdle(Date.now() + 31 * 60_000);
    expect(openFds()).toBe(0);
  });

  it('caps the page cache of every handle and uses WAL and foreign keys', async () => {
    f = await createTenancyFixture('sqlite', { TENANT_SQLITE_CACHE_KB: '512' });
    const id = await f.addTenant();
    const pragmas = await f.manager.withTenant(id, async (db) => ({
      cache: (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size,
      journal: (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)).rows[0]?.journal_mode,
      fk: (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]?.foreign_keys,
    }));
    expect(pragmas).toEqual({ cache: -512, journal: 'wal', fk: 1 });
    expect(fs.readdirSync(path.join(f.dataDir, 'templates'))).toEqual([
      `tenant-v${TENANT_SCHEMA_VERSION}.db`,
    ]);
  });
});

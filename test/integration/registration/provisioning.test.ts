import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/errors/app-error.js';
import { provisionRegistration } from '../../../src/platform/registrations/provisioner.js';
import { reconcileRegistrations } from '../../../src/platform/registrations/registration-reconciler.js';
import type { RegistrationInput } from '../../../src/platform/registrations/registration.service.js';
import type { RegistrationStep } from '../../../src/platform/registrations/registration.table.js';
import { adminQuery, adminPgUrl, DIALECTS } from '../../helpers/dialects.js';
import { createRegistrationHarness, type RegistrationHarness } from '../../helpers/registration-harness.js';

const input = (slug: string): RegistrationInput => ({
  church: { name: `Church ${slug}`, slug, timezone: 'America/Chicago', currency: 'USD' },
  admin: { name: 'Ana Diaz', email: `Ana@${slug}.example`, password: 'correct horse battery' },
});

let h: RegistrationHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
}, 180_000);

async function databaseExists(
  harness: RegistrationHarness,
  tenantId: string,
  onPg: boolean,
): Promise<boolean> {
  if (!onPg) return fs.existsSync(path.join(harness.dataDir, 'tenants', `${tenantId}.db`));
  const name = `steeple_t_${tenantId.replaceAll('-', '')}`;
  const res = await adminQuery('select 1 from pg_database where datname = $1', [name]);
  return res.rowCount === 1;
}

describe.each(DIALECTS)('registration provisioning on %s', (dialect) => {
  const servers = dialect === 'postgres' ? [adminPgUrl()] : [];
  const onPg = dialect === 'postgres';

  it('provisions a church: database, profile, admin, tenant active, no password hash left', async () => {
    h = await createRegistrationHarness(dialect, { servers });
    const reg = await h.service.submit(input('grace-chapel'));
    expect(reg.status === 'pending' || reg.status === 'provisioning' || reg.status === 'ready').toBe(true);
    const done = await h.service.waitFor(reg.id, 20_000);
    expect(done.status).toBe('ready');
    expect(done.admin_password_hash).toBeNull();
    const tenant = await h.catalog
      .selectFrom('tenants')
      .selectAll()
      .where('id', '=', reg.tenant_id)
      .executeTakeFirstOrThrow();
    expect(tenant.status).toBe('active');
    expect(tenant.schema_version).toBeGreaterThan(0);
    expect(tenant.server_id !== null).toBe(onPg);
    const { church, users } = await h.manager.withTenant(reg.tenant_id, async (db) => ({
      church: await db.selectFrom('church').selectAll().execute(),
      users: await db.selectFrom('users').selectAll().execute(),
    }));
    expect(church).toMatchObject([{ slug: 'grace-chapel', name: 'Church grace-chapel', currency: 'USD' }]);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: 'ana@grace-chapel.example', role: 'admin' });
    expect(users[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(await databaseExists(h, reg.tenant_id, onPg)).toBe(true);
  });

  it('10 concurrent requests for one slug: exactly one wins, nine get CONFLICT', async () => {
    h = await createRegistrationHarness(dialect, { servers });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => h!.service.submit(input('one-slug'))),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    for (const r of lost) expect((r.reason as AppError).code).toBe('CONFLICT');
    await h.idle();
    expect(await h.catalog.selectFrom('tenants').select('id').execute()).toHaveLength(1);
  });

  const steps: RegistrationStep[] = ['database', 'seeded', 'active'];
  it.each(steps)('a crash after step "%s" is finished by the reconciler', async (step) => {
    h = await createRegistrationHarness(dialect, { servers, leaseMs: 200 });
    let crashed = false;
    h.provisioner.afterStep = (s) => {
      if (s === step && !crashed) {
        crashed = true;
        // A process death: the lease is left held, so only its expiry lets another worker in.
        throw Object.assign(new Error('simulated crash'), { simulatedCrash: true });
      }
    };
    const reg = await h.service.submit(input(`crash-${step}`));
    await h.idle();
    expect(crashed).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    await reconcileRegistrations({
      catalog: h.catalog,
      logger: h.provisioner.logger,
      provisioner: h.provisioner,
      dispatch: h.dispatch,
      pendingGraceMs: 0,
    });
    const done = await h.service.waitFor(reg.id, 20_000);
    expect(done.status).toBe('ready');
    const tenant = await h.catalog
      .selectFrom('tenants')
      .selectAll()
      .where('id', '=', reg.tenant_id)
      .executeTakeFirstOrThrow();
    expect(tenant.status).toBe('active');
    const users = await h.manager.withTenant(reg.tenant_id, (db) =>
      db.selectFrom('users').selectAll().execute(),
    );
    expect(users).toHaveLength(1);
  });

  it('a slow worker keeps its claim alive: another worker cannot take a registration still in progress', async () => {
    h = await createRegistrationHarness(dialect, { servers, leaseMs: 300 });
    const other = { ...h.provisioner, owner: 'other-worker' };
    let otherOutcome: string | undefined;
    h.provisioner.afterStep = async (s, registration) => {
      if (s !== 'database') return;
      // Three lease lengths pass while this worker is still busy.
      await new Promise((r) => setTimeout(r, 900));
      otherOutcome = await provisionRegistration(other, registration.id);
    };
    const reg = await h.service.submit(input('slow-worker'));
    const done = await h.service.waitFor(reg.id, 20_000);
    expect(otherOutcome).toBe('skipped');
    expect(done.status).toBe('ready');
    expect(done.attempts).toBe(1);
  });

  it('a registration that keeps failing is rolled back: no database, slug free, readable reason', async () => {
    h = await createRegistrationHarness(dialect, { servers, maxAttempts: 2 });
    h.provisioner.afterStep = () => {
      throw new Error('disk on fire');
    };
    const reg = await h.service.submit(input('doomed'));
    const done = await h.service.waitFor(reg.id, 20_000);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/could not set up/);
    expect(done.error).not.toMatch(/disk on fire/);
    expect(done.admin_password_hash).toBeNull();
    expect(await h.catalog.selectFrom('tenants').select('id').where('slug', '=', 'doomed').execute()).toEqual(
      [],
    );
    expect(await databaseExists(h, reg.tenant_id, onPg)).toBe(false);
    if (onPg) {
      const server = await h.catalog
        .selectFrom('db_servers')
        .select('tenant_count')
        .executeTakeFirstOrThrow();
      expect(server.tenant_count).toBe(0);
    }
    h.provisioner.afterStep = undefined;
    const again = await h.service.submit(input('doomed'));
    expect((await h.service.waitFor(again.id, 20_000)).status).toBe('ready');
  });

  // PostgreSQL: 30 here (each test database must be dropped again, and drops force checkpoints);
  // the benchmark runs the full 100 on both.
  const bulk = onPg ? 30 : 100;
  it(`${bulk} concurrent registrations all become ready with no leaked handles`, async () => {
    h = await createRegistrationHarness(dialect, { servers });
    const regs = await Promise.all(
      Array.from({ length: bulk }, (_, i) => h!.service.submit(input(`bulk-${i}`))),
    );
    const done = await Promise.all(regs.map((r) => h!.service.waitFor(r.id, 60_000)));
    expect(done.filter((d) => d.status !== 'ready')).toEqual([]);
    await h.idle();
    const stats = h.manager.getStats();
    expect(stats.potentialLeaks).toBe(0);
    expect(stats.leased).toBe(0);
  }, 120_000);
});

describe.skipIf(!DIALECTS.includes('postgres'))('placement across PostgreSQL servers', () => {
  it('spreads tenants to the server with the fewest, and skips draining ones', async () => {
    const base = new URL(adminPgUrl());
    const a = base.toString();
    base.hostname = 'localhost'; // a second URL for the same cluster stands in for a second server
    const b = base.toString();
    h = await createRegistrationHarness('sqlite', { servers: [a, b] });
    for (let i = 0; i < 4; i++) await h.service.submit(input(`spread-${i}`));
    await h.idle();
    const counts = await h.catalog
      .selectFrom('db_servers')
      .select(['url', 'tenant_count'])
      .orderBy('url')
      .execute();
    expect(counts.map((c) => c.tenant_count)).toEqual([2, 2]);
    const perServer = await h.catalog.selectFrom('tenants').select(['server_id']).execute();
    expect(new Set(perServer.map((t) => t.server_id)).size).toBe(2);
  });

  it.each(DIALECTS)(
    'fills a server exactly to capacity when signups race (%s catalog); the rest get 503 and write nothing',
    async (catalog) => {
      h = await createRegistrationHarness(catalog, { servers: [adminPgUrl()] });
      await h.catalog.updateTable('db_servers').set({ capacity: 3 }).execute();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => h!.service.submit(input(`full-${i}`))),
      );
      const refused = results
        .filter((r) => r.status === 'rejected')
        .map((r) => (r.reason as AppError).status);
      expect(refused).toEqual([503, 503, 503, 503, 503]);
      await h.idle();
      const server = await h.catalog
        .selectFrom('db_servers')
        .select('tenant_count')
        .executeTakeFirstOrThrow();
      expect(server.tenant_count).toBe(3);
      expect(await h.catalog.selectFrom('tenants').select('id').execute()).toHaveLength(3);
      expect(await h.catalog.selectFrom('registrations').select('id').execute()).toHaveLength(3);
    },
  );
});

describe('registration rules', () => {
  it('rejects reserved slugs, unknown time zones and currencies with paths', async () => {
    h = await createRegistrationHarness('sqlite');
    const bad = input('admin');
    bad.church.timezone = 'Mars/Olympus';
    bad.church.currency = 'XYZ';
    const err = (await h.service.submit(bad).catch((e) => e)) as AppError;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.errors!.map((e) => e.path).sort()).toEqual([
      '/body/church/currency',
      '/body/church/slug',
      '/body/church/timezone',
    ]);
    expect(await h.catalog.selectFrom('registrations').select('id').execute()).toEqual([]);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../../src/auth/password.js';
import type { AppError } from '../../../src/errors/app-error.js';
import type { RegistrationInput } from '../../../src/platform/registrations/registration.service.js';
import { adminPgUrl, adminQuery, DIALECTS } from '../../helpers/dialects.js';
import { waitUntil } from '../../helpers/http-api.js';
import { createRegistrationHarness, type RegistrationHarness } from '../../helpers/registration-harness.js';

// The registration is recorded before its admin password is hashed, so argon2 overlaps creating
// the database. These tests hold, fail or lose the hash to show the provisioner waits for it,
// and that a hash that never comes rolls everything back.

const input = (slug: string): RegistrationInput => ({
  church: { name: `Church ${slug}`, slug, timezone: 'Europe/London', currency: 'GBP' },
  admin: { name: 'Bea Okafor', email: `bea@${slug}.example`, password: 'correct horse battery' },
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

let h: RegistrationHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
}, 120_000);

describe.each(DIALECTS)('admin password hand-off on %s', (dialect) => {
  const servers = dialect === 'postgres' ? [adminPgUrl()] : [];

  const registrationBySlug = (slug: string) =>
    h!.catalog.selectFrom('registrations').selectAll().where('slug', '=', slug).executeTakeFirst();

  async function databaseExists(tenantId: string): Promise<boolean> {
    if (dialect === 'sqlite') return fs.existsSync(path.join(h!.dataDir, 'tenants', `${tenantId}.db`));
    const name = `steeple_t_${tenantId.replaceAll('-', '')}`;
    return (await adminQuery('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  }

  it('creates the database while hashing, waits for the hash, then writes the admin with it', async () => {
    const hash = deferred<string>();
    const real = new PasswordHasher({ maxConcurrent: 1, maxQueued: 10 });
    h = await createRegistrationHarness(dialect, { servers, hashPassword: () => hash.promise });
    const submitted = h.service.submit(input('slow-hash'));
    // The database is made and the profile written before the hash exists.
    await waitUntil(
      'the database step',
      async () => (await registrationBySlug('slow-hash'))?.step === 'database',
    );
    const early = (await registrationBySlug('slow-hash'))!;
    expect(early).toMatchObject({
      status: 'provisioning',
      admin_password_hash: null,
      admin_password_state: 'hashing',
    });
    expect(await databaseExists(early.tenant_id)).toBe(true);
    await waitUntil('the church profile', () =>
      h!.manager.withTenant(
        early.tenant_id,
        async (db) => (await db.selectFrom('church').select('id').execute()).length === 1,
      ),
    );
    expect(
      await h.manager.withTenant(early.tenant_id, (db) => db.selectFrom('users').select('id').execute()),
    ).toEqual([]);
    const tenant = await h.catalog
      .selectFrom('tenants')
      .select('status')
      .where('id', '=', early.tenant_id)
      .executeTakeFirstOrThrow();
    expect(tenant.status).toBe('provisioning');

    const phc = await real.hash('correct horse battery');
    hash.resolve(phc);
    const reg = await submitted;
    const done = await h.service.waitFor(reg.id, 20_000);
    expect(done).toMatchObject({ status: 'ready', admin_password_hash: null, admin_password_state: null });
    const users = await h.manager.withTenant(reg.tenant_id, (db) =>
      db.selectFrom('users').selectAll().execute(),
    );
    expect(users).toMatchObject([{ email: 'bea@slow-hash.example', role: 'admin', password_hash: phc }]);
  });

  /** Counts the provisioner's catalog reads of a registration's password hash. */
  function countHashReads(harness: RegistrationHarness): { reads: number } {
    const counter = { reads: 0 };
    const plugin: KyselyPlugin = {
      transformQuery: ({ node }) => {
        if (node.kind === 'SelectQueryNode' && JSON.stringify(node).includes('admin_password_hash'))
          counter.reads++;
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    harness.provisioner.catalog = harness.catalog.withPlugin(plugin);
    return counter;
  }

  it('a provisioner waits for a hash computed in this process without reading the catalog', async () => {
    const hash = deferred<string>();
    const real = new PasswordHasher({ maxConcurrent: 1, maxQueued: 10 });
    h = await createRegistrationHarness(dialect, { servers, hashPassword: () => hash.promise });
    const counter = countHashReads(h);
    const submitted = h.service.submit(input('local-hash'));
    await waitUntil(
      'the database step',
      async () => (await registrationBySlug('local-hash'))?.step === 'database',
    );
    // Long enough for several polls (10, 20, 40, 80 ms apart) had it been polling.
    await new Promise((r) => setTimeout(r, 300));
    hash.resolve(await real.hash('correct horse battery'));
    const reg = await submitted;
    expect((await h.service.waitFor(reg.id, 20_000)).status).toBe('ready');
    expect(counter.reads).toBe(0);
  });

  it('a provisioner in another instance (no local hand-off) reads the hash from the catalog', async () => {
    h = await createRegistrationHarness(dialect, { servers });
    const counter = countHashReads(h);
    h.provisioner.hashes = undefined;
    const reg = await h.service.submit(input('elsewhere'));
    expect((await h.service.waitFor(reg.id, 20_000)).status).toBe('ready');
    expect(counter.reads).toBeGreaterThan(0);
    const users = await h.manager.withTenant(reg.tenant_id, (db) =>
      db.selectFrom('users').selectAll().execute(),
    );
    expect(users[0]!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('a failed hash answers the error and rolls the registration back at once: no database, slug free', async () => {
    const hash = deferred<string>();
    h = await createRegistrationHarness(dialect, { servers, hashPassword: () => hash.promise });
    const submitted = h.service.submit(input('bad-hash'));
    await waitUntil(
      'the database step',
      async () => (await registrationBySlug('bad-hash'))?.step === 'database',
    );
    hash.reject(new Error('argon2 blew up'));
    await expect(submitted).rejects.toThrow('argon2 blew up');
    const reg = (await registrationBySlug('bad-hash'))!;
    // Well before the 60 s wait for a lost request: the failure is handed over.
    const done = await h.service.waitFor(reg.id, 5_000);
    expect(done).toMatchObject({ status: 'failed', admin_password_hash: null, admin_password_state: null });
    expect(done.error).toMatch(/could not set up/);
    expect(await databaseExists(reg.tenant_id)).toBe(false);
    expect(
      await h.catalog.selectFrom('tenants').select('id').where('slug', '=', 'bad-hash').execute(),
    ).toEqual([]);
  });

  it('a request that dies before storing its hash is rolled back once the wait runs out', async () => {
    // The hash never arrives: the process that held the plaintext is gone.
    h = await createRegistrationHarness(dialect, {
      servers,
      hashPassword: () => new Promise<string>(() => {}),
      hashWaitMs: 400,
    });
    void h.service.submit(input('lost-hash'));
    await waitUntil(
      'the registration to fail',
      async () => (await registrationBySlug('lost-hash'))?.status === 'failed',
      20_000,
    );
    const reg = (await registrationBySlug('lost-hash'))!;
    expect(reg.admin_password_state).toBeNull();
    expect(await databaseExists(reg.tenant_id)).toBe(false);
    expect(
      await h.catalog.selectFrom('tenants').select('id').where('slug', '=', 'lost-hash').execute(),
    ).toEqual([]);
  });

  it('a full hasher refuses the signup with 503 before anything is written', async () => {
    const hasher = new PasswordHasher({ maxConcurrent: 1, maxQueued: 0 });
    h = await createRegistrationHarness(dialect, { servers, hashPassword: (p) => hasher.start(p) });
    const busy = hasher.hash('someone else logging in');
    const err = (await h.service.submit(input('too-busy')).catch((e) => e)) as AppError;
    expect(err.code).toBe('SERVICE_UNAVAILABLE');
    await busy;
    expect(await h.catalog.selectFrom('registrations').select('id').execute()).toEqual([]);
    expect(await h.catalog.selectFrom('tenants').select('id').execute()).toEqual([]);
    // With room again, the same signup goes through.
    const reg = await h.service.submit(input('too-busy'));
    expect((await h.service.waitFor(reg.id, 20_000)).status).toBe('ready');
  });
});

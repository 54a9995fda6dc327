import fs from 'node:fs';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../../src/auth/password.js';
import type { AppError } from '../../../src/errors/app-error.js';
import {
  type RegistrationInput,
  RegistrationService,
} from '../../../src/platform/registrations/registration.service.js';
import { adminPgUrl, adminQuery, DIALECTS } from '../../helpers/dialects.js';
import { createRegistrationHarness, type RegistrationHarness } from '../../helpers/registration-harness.js';

// A signup hashes its admin password first and records the registration with the hash: these
// tests hold, fail or refuse the hash to show nothing is written before it exists, and that the
// provisioner reads what the request wrote once.

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

describe.each(DIALECTS)('signup password on %s', (dialect) => {
  const servers = dialect === 'postgres' ? [adminPgUrl()] : [];

  async function databaseExists(tenantId: string): Promise<boolean> {
    if (dialect === 'sqlite') return fs.existsSync(path.join(h!.dataDir, 'tenants', `${tenantId}.db`));
    const name = `steeple_t_${tenantId.replaceAll('-', '')}`;
    return (await adminQuery('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  }
  const nothingRecorded = async () => {
    expect(await h!.catalog.selectFrom('registrations').select('id').execute()).toEqual([]);
    expect(await h!.catalog.selectFrom('tenants').select('id').execute()).toEqual([]);
  };

  it('records nothing until the hash exists, then the registration with it; the admin gets that hash', async () => {
    const hash = deferred<string>();
    const real = new PasswordHasher({ maxConcurrent: 1, maxQueued: 10 });
    h = await createRegistrationHarness(dialect, { servers, hashPassword: () => hash.promise });
    const submitted = h.service.submit(input('slow-hash'));
    await new Promise((r) => setTimeout(r, 200));
    await nothingRecorded();

    const phc = await real.hash('correct horse battery');
    hash.resolve(phc);
    const reg = await submitted;
    expect(reg).toMatchObject({ status: 'pending', admin_password_hash: phc });
    const done = await h.service.waitFor(reg.id, 20_000);
    // The hash is not kept once the admin exists.
    expect(done).toMatchObject({ status: 'ready', admin_password_hash: null });
    const users = await h.manager.withTenant(reg.tenant_id, (db) =>
      db.selectFrom('users').selectAll().execute(),
    );
    expect(users).toMatchObject([{ email: 'bea@slow-hash.example', role: 'admin', password_hash: phc }]);
  });

  it('the provisioner reads what the request wrote once (its claim), then only writes (its activation returns the committed row for the waiting request)', async () => {
    h = await createRegistrationHarness(dialect, { servers });
    const reads: string[] = [];
    const plugin: KyselyPlugin = {
      transformQuery: ({ node }) => {
        const returns = 'returning' in node && node.returning !== undefined;
        if (node.kind === 'SelectQueryNode' || returns) reads.push(node.kind);
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    h.provisioner.catalog = h.catalog.withPlugin(plugin);
    const reg = await h.service.submit(input('read-once'));
    expect((await h.service.waitFor(reg.id, 20_000)).status).toBe('ready');
    await h.idle();
    expect(reads).toEqual(['UpdateQueryNode', 'UpdateQueryNode']);
  });

  it.each(['ready', 'failed'] as const)(
    'a waiting signup answers with the registration its provisioner signalled (%s), not one read back',
    async (outcome) => {
      h = await createRegistrationHarness(dialect, { servers, maxAttempts: 1 });
      if (outcome === 'failed')
        h.provisioner.afterStep = () => {
          throw new Error('disk on fire');
        };
      const signalled: unknown[] = [];
      const emit = h.service.settled.emit.bind(h.service.settled);
      h.service.settled.emit = (event, ...args) => {
        signalled.push(args[0]);
        return emit(event, ...args);
      };
      const reg = await h.service.submit(input(`signal-${outcome}`), 20_000);
      expect(reg).toMatchObject({ status: outcome, attempts: 1, admin_password_hash: null });
      expect(signalled).toHaveLength(1);
      expect(reg).toBe(signalled[0]);
    },
  );

  it('a signal that arrives while the waiting signup polls the catalog wins over that read', async () => {
    h = await createRegistrationHarness(dialect, { servers });
    // The provisioner takes longer than the first poll (50 ms), and that poll's read is slow: the
    // signal comes while the read is in flight, and the read then finds the registration ready.
    h.provisioner.afterStep = () => new Promise((r) => setTimeout(r, 40));
    const get = h.service.get.bind(h.service);
    let reads = 0;
    h.service.get = async (id) => {
      reads++;
      await new Promise((r) => setTimeout(r, 1_500));
      return get(id);
    };
    const signalled: unknown[] = [];
    const emit = h.service.settled.emit.bind(h.service.settled);
    h.service.settled.emit = (event, ...args) => {
      signalled.push(args[0]);
      return emit(event, ...args);
    };
    const reg = await h.service.submit(input('slow-poll'), 20_000);
    expect(reads).toBeGreaterThan(0);
    expect(signalled).toHaveLength(1);
    expect(reg).toBe(signalled[0]);
  });

  it('a failed hash answers the error and writes nothing: no registration, no database, slug free', async () => {
    h = await createRegistrationHarness(dialect, {
      servers,
      hashPassword: () => Promise.reject(new Error('argon2 blew up')),
    });
    await expect(h.service.submit(input('bad-hash'))).rejects.toThrow('argon2 blew up');
    await nothingRecorded();
  });

  it('a full hasher refuses the signup with 503 before anything is written', async () => {
    const hasher = new PasswordHasher({ maxConcurrent: 1, maxQueued: 0 });
    h = await createRegistrationHarness(dialect, { servers, hashPassword: (p) => hasher.hash(p) });
    const busy = hasher.hash('someone else logging in');
    const err = (await h.service.submit(input('too-busy')).catch((e) => e)) as AppError;
    expect(err.code).toBe('SERVICE_UNAVAILABLE');
    await busy;
    await nothingRecorded();
    // With room again, the same signup goes through.
    const reg = await h.service.submit(input('too-busy'));
    const done = await h.service.waitFor(reg.id, 20_000);
    expect(done.status).toBe('ready');
    expect(await databaseExists(done.tenant_id)).toBe(true);
  });

  it('a registration without a password hash (recorded by an older version) is rolled back at once', async () => {
    h = await createRegistrationHarness(dialect, { servers });
    let held: string | undefined;
    // Record without running the job, drop the hash as an older version would have left it, run it.
    const service = new RegistrationService({
      catalog: h.catalog,
      logger: h.provisioner.logger,
      hashPassword: async () => 'not-yet',
      dispatch: async (id) => {
        held = id;
      },
      schemaVersion: h.provisioning.schemaVersion,
    });
    const reg = await service.submit(input('no-hash'));
    await h.catalog
      .updateTable('registrations')
      .set({ admin_password_hash: null })
      .where('id', '=', held!)
      .execute();
    await h.dispatch(reg.id);
    await h.idle();
    const done = await h.service.get(reg.id);
    expect(done).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await databaseExists(reg.tenant_id)).toBe(false);
    expect(
      await h.catalog.selectFrom('tenants').select('id').where('slug', '=', 'no-hash').execute(),
    ).toEqual([]);
  });
});

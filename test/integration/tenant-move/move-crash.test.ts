import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDbServer } from '../../../src/platform/db-servers.js';
import { createTenantMoves } from '../../../src/platform/tenant-move/create-tenant-moves.js';
import { listMoves } from '../../../src/platform/tenant-move/tenant-move.repository.js';
import type { MovePoint } from '../../../src/platform/tenant-move/tenant-mover.js';
import { pgTenantDbName } from '../../../src/tenancy/tenant-id.js';
import { type TestStack, createTestStack } from '../../helpers/app.js';
import { dumpChurch, seedEveryTable } from '../../helpers/church-data.js';
import { adminPgUrl, DIALECTS } from '../../helpers/dialects.js';
import { pgAdmin } from '../../helpers/pg-scratch.js';
import { ROOT } from '../../helpers/process.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';

const POINTS: MovePoint[] = ['started', 'prepared', 'copied', 'frozen', 'verified', 'switched'];

class Fault extends Error {}

for (const dialect of DIALECTS) {
  describe(`a move that crashes, then is run again (catalog on ${dialect})`, () => {
    let stack: TestStack;
    let server: { id: string; url: string };

    beforeAll(async () => {
      stack = await createTestStack(dialect, { TENANT_MOVE_GRACE_DAYS: '0' });
      server = await addDbServer(stack.services.deps.catalog, adminPgUrl());
    });
    afterAll(async () => {
      await stack?.close();
    });

    const placeOf = async (id: string) =>
      (
        await stack.services.deps.catalog
          .selectFrom('tenants')
          .select('server_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).server_id;
    const onServer = async (id: string) =>
      (await pgAdmin('select 1 from pg_database where datname = $1', [pgTenantDbName(id)])).rowCount === 1;
    const moveTables = (church: TestChurch) =>
      stack.services.deps.tenants.withTenant(church.id, async (db) =>
        (await db.introspection.getTables()).map((t) => t.name).filter((n) => n.startsWith('steeple_move')),
      );

    async function newChurch(): Promise<TestChurch> {
      const church = await createTestChurch(stack, { roles: ['admin'] });
      await stack.services.deps.tenants.withTenant(church.id, (db) =>
        seedEveryTable(db, church.users.admin.id),
      );
      return church;
    }

    /** One write through the API, acknowledged (the church takes writes on the side that serves it). */
    async function write(church: TestChurch, name: string): Promise<void> {
      const res = await stack.app.inject({
        method: 'POST',
        url: '/api/people',
        headers: church.as('admin'),
        payload: { firstName: name, lastName: 'Crash' },
      });
      expect(res.statusCode, res.body).toBe(201);
    }

    it.each(POINTS)(
      'a thrown fault after %s, with a failing rollback: one side serves, the re-run finishes',
      async (point) => {
        const church = await newChurch();
        const faulty = createTenantMoves(
          stack.config,
          { ...stack.services.deps, metrics: undefined },
          {
            freezeSeconds: 1,
            onPoint: (p) => {
              // The rollback fails too: everything stays as the crash left it.
              if (p === point || p === 'rollback') throw new Fault(`fault at ${p}`);
            },
          },
        );
        await expect(faulty.mover.move(church.id, server.id)).rejects.toBeInstanceOf(Fault);
        const switched = point === 'switched';
        expect(await placeOf(church.id)).toBe(switched ? server.id : null);
        // Readable at once; writable once the freeze (1 s here) lapses, on the side that serves.
        expect((await stack.app.inject({ url: '/api/people', headers: church.as('admin') })).statusCode).toBe(
          200,
        );
        await new Promise((r) => setTimeout(r, 1100));
        await write(church, `Between${point}`);
        const before = await stack.services.deps.tenants.withTenant(church.id, dumpChurch);

        const again = await stack.services.deps.moves.mover.move(church.id, server.id);
        expect(again.moved).toBe(!switched);
        expect(await placeOf(church.id)).toBe(server.id);
        expect(await stack.services.deps.tenants.withTenant(church.id, dumpChurch)).toEqual(before);
        await write(church, `After${point}`);
        // Leftovers: the failed attempt is rolled back, no trigger or log is left on the served side.
        const steps = (await listMoves(stack.services.deps.catalog, church.id)).map((m) => m.step);
        expect(steps).toEqual(switched ? ['switched'] : ['switched', 'rolled_back']);
        expect(await moveTables(church)).toEqual([]);
        expect(await stack.services.deps.moves.mover.dropDueSources()).toBe(1);
      },
    );

    it('a fault that rolls back cleanly leaves the church where it was, writable, with no target', async () => {
      const church = await newChurch();
      const faulty = createTenantMoves(
        stack.config,
        { ...stack.services.deps, metrics: undefined },
        { onPoint: (p) => (p === 'verified' ? Promise.reject(new Fault('fault')) : undefined) },
      );
      await expect(faulty.mover.move(church.id, server.id)).rejects.toBeInstanceOf(Fault);
      expect(await placeOf(church.id)).toBe(null);
      await write(church, 'AfterRollback');
      expect(await onServer(church.id)).toBe(false);
      expect(await moveTables(church)).toEqual([]);
      expect((await listMoves(stack.services.deps.catalog, church.id)).map((m) => m.step)).toEqual([
        'rolled_back',
      ]);
    });

    it('a SIGKILLed `steeple` process during the freeze: the re-run takes over, rolls back and finishes', async () => {
      const church = await newChurch();
      const before = await stack.services.deps.tenants.withTenant(church.id, dumpChurch);
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/integration/tenant-move/move-child.ts', church.id, server.id, 'frozen'],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            NODE_ENV: 'test',
            LOG_LEVEL: 'silent',
            DATA_DIR: stack.config.dataDir,
            DATABASE_URL: stack.config.catalog.dialect === 'postgres' ? stack.config.catalog.url : '',
            TENANT_DB_SERVERS: '',
            REDIS_URL: '',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      const exited = new Promise((r) => child.on('exit', r));
      const deadline = Date.now() + 60_000;
      while (!out.includes('AT frozen') && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain('AT frozen');
      child.kill('SIGKILL');
      await exited;
      expect(await placeOf(church.id)).toBe(null);
      expect((await stack.app.inject({ url: '/api/people', headers: church.as('admin') })).statusCode).toBe(
        200,
      );

      const again = await stack.services.deps.moves.mover.move(church.id, server.id);
      expect(again.moved).toBe(true);
      expect(await placeOf(church.id)).toBe(server.id);
      expect(await stack.services.deps.tenants.withTenant(church.id, dumpChurch)).toEqual(before);
      expect((await listMoves(stack.services.deps.catalog, church.id)).map((m) => m.step)).toEqual([
        'switched',
        'rolled_back',
      ]);
      expect(await moveTables(church)).toEqual([]);
      await write(church, 'AfterKill');
      expect(fs.existsSync(`${stack.config.dataDir}/tenants/${church.id}.db`)).toBe(true); // kept until dropped
      expect(await stack.services.deps.moves.mover.dropDueSources()).toBe(1);
      expect(fs.existsSync(`${stack.config.dataDir}/tenants/${church.id}.db`)).toBe(false);
    }, 120_000);
  });
}

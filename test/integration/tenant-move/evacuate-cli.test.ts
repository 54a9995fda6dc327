import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDbServer, setDbServerStatus } from '../../../src/platform/db-servers.js';
import { planEvacuation } from '../../../src/platform/tenant-move/evacuation.js';
import { type TestStack, createTestStack } from '../../helpers/app.js';
import { seedEveryTable } from '../../helpers/church-data.js';
import { adminPgUrl, DIALECTS } from '../../helpers/dialects.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';
import { runCli } from '../tenancy/cli-runner.js';

for (const dialect of DIALECTS) {
  describe(`steeple servers evacuate (catalog on ${dialect})`, () => {
    let stack: TestStack;
    let server: { id: string };
    const churches: TestChurch[] = [];
    let env: Record<string, string>;

    beforeAll(async () => {
      stack = await createTestStack(dialect);
      server = await addDbServer(stack.services.deps.catalog, adminPgUrl());
      for (let i = 0; i < 3; i++) {
        const c = await createTestChurch(stack, {
          server: server as { id: string; url: string },
          roles: ['admin'],
        });
        await stack.services.deps.tenants.withTenant(c.id, (db) => seedEveryTable(db, c.users.admin.id));
        churches.push(c);
      }
      await stack.services.deps.catalog
        .updateTable('db_servers')
        .set({ tenant_count: 3 })
        .where('id', '=', server.id)
        .execute();
      env = {
        DATA_DIR: stack.config.dataDir,
        DATABASE_URL: stack.config.catalog.dialect === 'postgres' ? stack.config.catalog.url : '',
        TENANT_DB_SERVERS: '',
        REDIS_URL: '',
      };
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('refuses a server that still takes churches; plans by the placement rule', async () => {
      const refused = await runCli(['servers', 'evacuate', server.id, '--dry-run'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Drain the server first');
      await setDbServerStatus(stack.services.deps.catalog, server.id, 'draining');
      // Two more servers (never connected to by a plan): the one with fewer churches gets each next.
      const { catalog } = stack.services.deps;
      const b = await addDbServer(catalog, 'postgres://plan@127.0.0.1:1/b', 10);
      const c = await addDbServer(catalog, 'postgres://plan@127.0.0.1:1/c', 10);
      await catalog.updateTable('db_servers').set({ tenant_count: 1 }).where('id', '=', b.id).execute();
      const plan = await planEvacuation(catalog, server.id);
      expect(plan.moves.map((m) => m.to).sort()).toEqual([b.id, c.id, c.id].sort());
      for (const id of [b.id, c.id]) await catalog.deleteFrom('db_servers').where('id', '=', id).execute();
    });

    it('--dry-run prints the plan and changes nothing; the run moves every church off the server', {
      timeout: 240_000,
    }, async () => {
      const dry = await runCli(['servers', 'evacuate', server.id, '--to', 'sqlite', '--dry-run'], env);
      expect(dry.code, dry.stderr).toBe(0);
      for (const c of churches) expect(dry.stdout).toContain(`move  ${c.id}`);
      expect(dry.stdout).toContain('3 to move, 0 skipped (dry run)');
      const placed = () =>
        stack.services.deps.catalog
          .selectFrom('tenants')
          .select('server_id')
          .where(
            'id',
            'in',
            churches.map((c) => c.id),
          )
          .execute();
      expect((await placed()).every((t) => t.server_id === server.id)).toBe(true);

      const run = await runCli(
        ['servers', 'evacuate', server.id, '--to', 'sqlite', '--concurrency', '2'],
        env,
      );
      expect(run.code, run.stderr + run.stdout).toBe(0);
      expect(run.stdout).toContain('3 moved, 0 failed, 0 skipped');
      expect((await placed()).every((t) => t.server_id === null)).toBe(true);
      const s = await stack.services.deps.catalog
        .selectFrom('db_servers')
        .select('tenant_count')
        .where('id', '=', server.id)
        .executeTakeFirstOrThrow();
      expect(s.tenant_count).toBe(0);
      for (const c of churches) {
        const res = await stack.app.inject({ url: '/api/people', headers: c.as('admin') });
        expect(res.statusCode).toBe(200);
        expect(res.json().data.length).toBe(3);
      }
      const moves = await runCli(['tenants', 'moves', churches[0]!.slug], env);
      expect(moves.stdout).toMatch(/-> sqlite\s+switched/);
    });
  });
}

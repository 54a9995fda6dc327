import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdent } from '../../../src/infra/db/postgres.js';
import { addDbServer } from '../../../src/platform/db-servers.js';
import { listMoves } from '../../../src/platform/tenant-move/tenant-move.repository.js';
import { pgTenantDbName, sqliteTenantFile } from '../../../src/tenancy/tenant-id.js';
import { type TestStack, createTestStack } from '../../helpers/app.js';
import { dumpChurch, emptyTables, seedEveryTable } from '../../helpers/church-data.js';
import { adminPgUrl, DIALECTS } from '../../helpers/dialects.js';
import { pgAdmin } from '../../helpers/pg-scratch.js';
import { secondPgUrl } from '../../helpers/second-pg.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';

for (const dialect of DIALECTS) {
  describe(`a church moved SQLite -> PostgreSQL -> another server -> SQLite (catalog on ${dialect})`, () => {
    let stack: TestStack;
    let church: TestChurch;
    let pg2: string | undefined;
    const servers: Array<{ id: string; url: string }> = [];

    beforeAll(async () => {
      pg2 = await secondPgUrl();
      stack = await createTestStack(dialect, { TENANT_MOVE_GRACE_DAYS: '0' });
      const { catalog } = stack.services.deps;
      servers.push(await addDbServer(catalog, adminPgUrl()));
      if (pg2) servers.push(await addDbServer(catalog, pg2));
      church = await createTestChurch(stack);
      await stack.services.deps.tenants.withTenant(church.id, (db) =>
        seedEveryTable(db, church.users.admin.id),
      );
    });
    afterAll(async () => {
      if (pg2)
        await pgAdmin(
          `DROP DATABASE IF EXISTS ${quoteIdent(pgTenantDbName(church.id))} WITH (FORCE)`,
          [],
          pg2,
        );
      await stack?.close();
    });

    const dump = () => stack.services.deps.tenants.withTenant(church.id, dumpChurch);

    /** Where the church's database would be at a location, and whether it exists. */
    async function existsAt(serverUrl: string | null): Promise<boolean> {
      if (!serverUrl) return fs.existsSync(sqliteTenantFile(stack.config.dataDir, church.id));
      const r = await pgAdmin(
        'select 1 from pg_database where datname = $1',
        [pgTenantDbName(church.id)],
        serverUrl,
      );
      return r.rowCount === 1;
    }

    it('keeps every row of every table, logins and tokens on each leg, and drops each old database', async () => {
      const { mover } = stack.services.deps.moves;
      const legs: Array<{ id: string; url: string } | null> = [...servers, null];
      let from: string | null = null;
      for (const to of legs) {
        const before = await dump();
        expect(emptyTables(before)).toEqual([]);
        const result = await mover.move(church.slug, to?.id ?? null);
        expect(result.moved).toBe(true);
        const row = await stack.services.deps.catalog
          .selectFrom('tenants')
          .select(['server_id', 'schema_version'])
          .where('id', '=', church.id)
          .executeTakeFirstOrThrow();
        expect(row.server_id).toBe(to?.id ?? null);
        expect(await dump()).toEqual(before);

        // Old tokens work, every user logs in, refresh tokens rotate on the new side.
        expect((await stack.app.inject({ url: '/api/people', headers: church.as('admin') })).statusCode).toBe(
          200,
        );
        for (const user of Object.values(church.users)) {
          const login = await stack.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { church: church.slug, email: user.email, password: user.password },
          });
          expect(login.statusCode, login.body).toBe(200);
          const refreshed = await stack.app.inject({
            method: 'POST',
            url: '/api/auth/refresh',
            payload: { refreshToken: user.refreshToken },
          });
          expect(refreshed.statusCode, refreshed.body).toBe(200);
          user.refreshToken = refreshed.json().data.refreshToken;
        }

        // The old database is kept (fenced) until the grace period, here 0 days.
        const fromUrl = from ? servers.find((s) => s.id === from)!.url : null;
        expect(await existsAt(fromUrl)).toBe(true);
        expect(await mover.dropDueSources()).toBe(1);
        expect(await existsAt(fromUrl)).toBe(to === null && fromUrl === null);
        from = to?.id ?? null;
      }
      const moves = await listMoves(stack.services.deps.catalog, church.id);
      expect(moves.map((m) => m.step)).toEqual(legs.map(() => 'source_dropped'));
    });
  });
}
